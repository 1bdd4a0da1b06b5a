package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.logs.LogService;
import dev.nanodb.logs.RequestLog;
import dev.nanodb.rules.Identity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands every answered request to the request logs ({@link LogService}), mounted beside {@link RequestStats} so
 * it sees the same requests (not the health checks nor CORS preflights, answered before). The entry is taken when
 * the response headers are written, so it exists before the client has its answer, and costs the event loop one
 * small object and a queue offer; redaction, the settings and the storage happen on the log writer's thread.
 *
 * <p>What is captured: method, path and query (secrets redacted later), status, time to the headers, the socket's
 * address and the client's (a trusted proxy's {@code X-Forwarded-For}), referer, user agent, the caller's
 * collection and id, and for an error answer its message and field errors as answered — never a header, a body,
 * a stack trace or a cause. As in PocketBase, successful answers of the log routes themselves, of the realtime
 * connection and of the OAuth2 redirect (its URL carries the provider's code) are not logged; neither are
 * successful dashboard files, which would bury an application's requests under the dashboard's own.
 */
final class RequestLogger implements io.vertx.core.Handler<RoutingContext> {
    /** Where {@link Errors#respond} keeps the error it answered, for the entry's {@code error} and {@code details}. */
    static final String ERROR = "nanodb.logs.error";
    private final LogService logs;

    RequestLogger(LogService logs) {
        this.logs = logs;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addHeadersEndHandler(v -> record(ctx, start));
        ctx.next();
    }

    private void record(RoutingContext ctx, long start) {
        HttpServerRequest r = ctx.request();
        int status = ctx.response().getStatusCode();
        ApiException error = ctx.get(ERROR);
        if (error == null && status < 400 && quietWhenFine(r.method(), ctx.normalizedPath())) return;
        Identity who = Requests.identity(ctx);
        var socket = r.remoteAddress();
        logs.record(new RequestLog(System.currentTimeMillis(), r.method().name(), RequestLog.cut(r.uri(), RequestLog.MAX_URL),
                status, Math.round((System.nanoTime() - start) / 1000.0) / 1000.0, socket == null ? "" : socket.hostAddress(),
                Requests.clientIp(ctx), RequestLog.cut(r.getHeader(HttpHeaders.REFERER), RequestLog.MAX_REFERER),
                RequestLog.cut(r.getHeader(HttpHeaders.USER_AGENT), RequestLog.MAX_USER_AGENT),
                who == null ? "" : who.collection().name(), who == null ? "" : who.id(),
                error == null ? null : error.getMessage(), error == null || error.data().isEmpty() ? null : error.data()));
    }

    private static boolean quietWhenFine(HttpMethod method, String path) {
        return path.startsWith("/api/logs") || path.startsWith("/_/") || path.startsWith("/api/oauth2-redirect")
                || method == HttpMethod.GET && path.equals("/api/realtime");
    }
}
