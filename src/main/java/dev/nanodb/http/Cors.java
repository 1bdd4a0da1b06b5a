package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for browser clients ({@code CORS_ORIGINS}: {@code *} or a list of exact origins).
 *
 * <ul>
 *   <li>A request without {@code Origin} is not a CORS request and passes untouched.</li>
 *   <li>An allowed origin gets {@code Access-Control-Allow-Origin} ({@code *}, or the origin itself with
 *       {@code Vary: Origin} for a list) and {@code Access-Control-Expose-Headers} naming the rate-limit headers,
 *       on every answer including errors; its preflight ({@code OPTIONS} with
 *       {@code Access-Control-Request-Method}) is answered 204 with the allowed methods and headers.</li>
 *   <li>A disallowed origin gets no CORS header, so the browser withholds the answer from the page; its preflight
 *       is a 403 JSON error, and its other requests proceed as for a non-browser client (a server-side caller
 *       that happens to send {@code Origin} is not refused).</li>
 * </ul>
 * Credentials (cookies) are never allowed: NanoDB authenticates with the {@code Authorization} header.
 */
final class Cors implements Handler<RoutingContext> {
    private static final CharSequence ORIGIN = HttpHeaders.createOptimized("Origin");
    private static final CharSequence REQUEST_METHOD = HttpHeaders.createOptimized("Access-Control-Request-Method");
    private static final String METHODS = "GET,POST,PATCH,PUT,DELETE,OPTIONS";
    private static final String HEADERS = "Authorization,Content-Type,Accept,Accept-Language,X-Requested-With";
    private static final String EXPOSED = String.join(",", RateLimitHandler.LIMIT, RateLimitHandler.REMAINING,
            RateLimitHandler.RESET, "Retry-After");
    private static final String MAX_AGE = "86400";
    private final boolean any;
    private final Set<String> origins;

    /** @param origins {@code ["*"]} or origins as {@code ConfigLoader} validated them */
    Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void handle(RoutingContext ctx) {
        String origin = ctx.request().headers().get(ORIGIN);
        if (origin == null) {
            ctx.next();
            return;
        }
        HttpServerResponse res = ctx.response();
        boolean preflight = ctx.request().method() == HttpMethod.OPTIONS && ctx.request().headers().contains(REQUEST_METHOD);
        if (!any) res.putHeader(HttpHeaders.VARY, "Origin");
        if (!any && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            if (preflight) throw new ApiException(403, "The origin is not allowed.");
            ctx.next();
            return;
        }
        res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, any ? "*" : origin)
                .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        if (!preflight) {
            ctx.next();
            return;
        }
        res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE)
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .setStatusCode(204).end();
    }
}
