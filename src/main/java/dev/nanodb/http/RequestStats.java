package dev.nanodb.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Requests, errors and latency per route, for {@code /api/stats}. A route is named by its method and pattern
 * ({@code GET /api/collections/:collection/records}), never by the raw path, so the table has one entry per
 * declared route plus {@code unmatched} (404/405 of the router) however many paths clients try.
 *
 * <p>Cost per request: one headers-end callback and a few striped-counter additions, no lock. A successful
 * request finds its counters on the route that answered it (route metadata); a failed one has left that route for
 * the failure handler, so its path is matched again against the route patterns — only on errors.
 * Latency is measured from the first handler after the health checks until the response headers are written.
 * The health checks ({@code /health}, {@code /api/health}) and CORS preflights are answered before and are not
 * counted: the first is the benchmark's baseline and load balancers' noise, the second is the browser's.
 */
final class RequestStats implements io.vertx.core.Handler<RoutingContext> {
    private static final String COUNTERS = "nanodb.stats";

    /** The figures of one route. */
    private static final class Counters {
        final LongAdder count = new LongAdder();
        final LongAdder clientErrors = new LongAdder();
        final LongAdder serverErrors = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

        void record(int status, long elapsed) {
            count.increment();
            if (status >= 500) serverErrors.increment();
            else if (status >= 400) clientErrors.increment();
            nanos.add(elapsed);
            maxNanos.accumulate(elapsed);
        }
    }

    private record RoutePattern(HttpMethod method, Pattern path, Counters counters) {}

    private final ConcurrentHashMap<String, Counters> byRoute = new ConcurrentHashMap<>();
    private final Counters unmatched = new Counters();
    private volatile List<RoutePattern> patterns = List.of();

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addHeadersEndHandler(v -> record(ctx, start));
        ctx.next();
    }

    /** Names the counters of every route with one method and a path; called once all routes are mounted. */
    void index(Router router) {
        List<RoutePattern> out = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().size() != 1) continue;
            HttpMethod method = route.methods().iterator().next();
            Counters c = byRoute.computeIfAbsent(method.name() + " " + route.getPath(), k -> new Counters());
            route.putMetadata(COUNTERS, c);
            out.add(new RoutePattern(method, regex(route.getPath()), c));
        }
        patterns = List.copyOf(out);
    }

    /** A route pattern as a regular expression: {@code :name} is one segment, a trailing slash is optional. */
    private static Pattern regex(String path) {
        StringBuilder sb = new StringBuilder();
        for (String segment : path.substring(1).split("/")) {
            sb.append('/').append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
        }
        return Pattern.compile(sb + "/?");
    }

    private void record(RoutingContext ctx, long start) {
        Route route = ctx.currentRoute();
        Counters c = route == null || ctx.failed() ? null : route.getMetadata(COUNTERS);
        if (c == null) c = lookup(ctx.request().method(), ctx.normalizedPath());
        c.record(ctx.response().getStatusCode(), System.nanoTime() - start);
    }

    private Counters lookup(HttpMethod method, String path) {
        for (RoutePattern p : patterns) {
            if (p.method.equals(method) && p.path.matcher(path).matches()) return p.counters;
        }
        return unmatched;
    }

    /** {@code {"GET /api/...": {count, 4xx, 5xx, meanMs, maxMs}}} for the routes that answered at least once. */
    Map<String, Object> snapshot() {
        Map<String, Object> out = new TreeMap<>();
        byRoute.forEach((name, c) -> put(out, name, c));
        put(out, "unmatched", unmatched);
        return out;
    }

    private static void put(Map<String, Object> out, String name, Counters c) {
        long n = c.count.sum();
        if (n == 0) return;
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("count", n);
        m.put("4xx", c.clientErrors.sum());
        m.put("5xx", c.serverErrors.sum());
        m.put("meanMs", Math.round(c.nanos.sum() / (double) n / 1000.0) / 1000.0);
        m.put("maxMs", Math.round(c.maxNanos.get() / 1000.0) / 1000.0);
        out.put(name, m);
    }
}
