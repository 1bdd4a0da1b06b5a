package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.ratelimit.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Resolves the client's IP once per request (see {@link ClientIps}; {@link Requests#clientIp} returns it, and
 * {@link Requests#clientKey} what the limits count it as) and applies the rate limit of the route. A limited route
 * answers {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (seconds until the window ends) on every
 * response, and a request over the limit is refused with 429 and {@code Retry-After} before its body is read or its
 * token verified.
 */
final class RateLimitHandler implements Handler<RoutingContext> {
    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";
    private static final CharSequence LIMIT_HEADER = HttpHeaders.createOptimized(LIMIT);
    private static final CharSequence REMAINING_HEADER = HttpHeaders.createOptimized(REMAINING);
    private static final CharSequence RESET_HEADER = HttpHeaders.createOptimized(RESET);
    private static final CharSequence FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
    private final RateLimiter limiter;
    private final ClientIps ips;

    RateLimitHandler(RateLimiter limiter, ClientIps ips) {
        this.limiter = limiter;
        this.ips = ips;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ips.readsForwardedFor()) resolveForwarded(ctx);
        RateLimiter.Decision d = limiter.check(ctx.request().method().name(), ctx.normalizedPath(),
                () -> Requests.clientKey(ctx, ips));
        if (d == null) {
            ctx.next();
            return;
        }
        apply(ctx.response(), d);
        ctx.next();
    }

    /** Puts the decision's {@code X-RateLimit-*} headers on the answer; 429 when it refuses. */
    static void apply(HttpServerResponse res, RateLimiter.Decision d) {
        res.putHeader(LIMIT_HEADER, Integer.toString(d.limit()))
                .putHeader(REMAINING_HEADER, Integer.toString(d.remaining()))
                .putHeader(RESET_HEADER, Long.toString(d.resetSeconds()));
        if (!d.allowed()) throw ApiException.tooManyRequests(d.resetSeconds());
    }

    private void resolveForwarded(RoutingContext ctx) {
        List<String> forwarded = ctx.request().headers().getAll(FORWARDED_FOR);
        if (forwarded.isEmpty()) return;
        String socket = Requests.clientIp(ctx);
        String client = ips.resolve(socket, String.join(",", forwarded));
        if (!client.equals(socket)) ctx.put(Requests.CLIENT_IP, client);
    }
}
