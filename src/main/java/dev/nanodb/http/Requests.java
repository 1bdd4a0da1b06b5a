package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.schema.Names;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Reading requests and finishing asynchronous work back on the request's event loop. */
final class Requests {
    private Requests() {}

    /**
     * The JSON object body (or the {@code @jsonPayload} object of a multipart body, see {@link MultipartBody});
     * 400 when it is missing, malformed or not an object, 415 when it says it is not JSON.
     */
    static Map<String, Object> body(RoutingContext ctx) {
        Map<String, Object> multipart = ctx.get(MultipartBody.DECODED);
        if (multipart != null) return multipart;
        Map<String, Object> streamed = UploadBody.body(ctx);
        if (streamed != null) return streamed;
        HttpLimits.requireJsonContentType(ctx);
        Buffer b = ctx.body() == null ? null : ctx.body().buffer();
        if (b == null || b.length() == 0) throw new ApiException(400, "A JSON object body is required.");
        return Json.parseObject(b.getBytes());
    }

    /** A collection name or id from the path, refused unless it is a plain identifier (no path tricks). */
    static String collection(RoutingContext ctx) {
        String name = ctx.pathParam("collection");
        if (!Names.valid(name)) {
            throw ApiException.invalidField("collection", "validation_invalid_name",
                    "Collection names contain only letters, digits and _.");
        }
        return name;
    }

    /** Where the identity resolved from the Authorization header is kept for the rest of the request. */
    static final String IDENTITY = "nanodb.identity";

    /** The caller; null when anonymous. */
    static Identity identity(RoutingContext ctx) {
        return ctx.get(IDENTITY);
    }

    /** What rules may ask about this request; {@code body} may be null. */
    static RequestInfo info(RoutingContext ctx, Map<String, Object> body) {
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, String> e : ctx.queryParams()) query.putIfAbsent(e.getKey(), e.getValue());
        return new RequestInfo(identity(ctx), ctx.request().method().name(), query, body);
    }

    /** 401 without a token, 403 for a token that is not a superuser's. */
    static Identity requireSuperuser(RoutingContext ctx) {
        Identity who = identity(ctx);
        if (who == null) throw new ApiException(401, "The request requires a valid superuser authorization token.");
        if (!who.superuser()) throw new ApiException(403, "Only superusers can perform this action.");
        return who;
    }

    /** A route handler that lets only superusers through ({@link #requireSuperuser}). */
    static void superusersOnly(RoutingContext ctx) {
        requireSuperuser(ctx);
        ctx.next();
    }

    /** Where {@link RateLimitHandler} keeps a client IP that a trusted proxy forwarded. */
    static final String CLIENT_IP = "nanodb.clientIp";

    /**
     * The client's IP address: the one a trusted proxy forwarded ({@code TRUSTED_PROXIES}), else the socket's
     * peer. The full address, for whatever shows or logs the client; limits count {@link #clientKey}.
     */
    static String clientIp(RoutingContext ctx) {
        String forwarded = ctx.get(CLIENT_IP);
        if (forwarded != null) return forwarded;
        var address = ctx.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    /** Where {@link #clientKey} keeps a key that differs from the client's address. */
    private static final String CLIENT_KEY = "nanodb.clientKey";

    /**
     * What every per-client limit (routes, batch operations, failed logins, realtime streams) counts this request
     * under: {@link ClientIps#key} of {@link #clientIp} — an IPv6 client's network — so all agree on who the
     * client is. Derived once per request; an IPv4 client's key is its address and costs nothing to keep.
     */
    static String clientKey(RoutingContext ctx, ClientIps ips) {
        String kept = ctx.get(CLIENT_KEY);
        if (kept != null) return kept;
        String ip = clientIp(ctx);
        String key = ips.key(ip);
        if (key != ip) ctx.put(CLIENT_KEY, key);
        return key;
    }

    static String query(RoutingContext ctx, String name) {
        return ctx.request().getParam(name);
    }

    /** Completes the request with the future's value (on the request's context) or its failure. */
    static <T> void await(RoutingContext ctx, CompletableFuture<T> work, Consumer<T> onSuccess) {
        LoopExecutor loop = LoopExecutor.of(ctx.vertx().getOrCreateContext());
        work.whenComplete((result, failure) -> loop.execute(() -> finish(ctx, result, failure, onSuccess)));
    }

    /**
     * Runs {@code work} on a worker, hands its result to {@code use} on the event loop and goes on to the next
     * handler; a failure is answered. For a handler that must read the store before the route's own handlers
     * (the caller's identity) when reads are round trips. The request is paused meanwhile — a body arriving with
     * no handler set would be lost — and the route's body handler resumes it; whatever no handler read is dropped
     * once the answer is sent.
     */
    static <T> void beforeNext(RoutingContext ctx, Callable<T> work, Consumer<T> use) {
        var request = ctx.request();
        if (!request.isEnded()) {
            request.pause();
            ctx.addEndHandler(v -> request.resume());
        }
        blocking(ctx, work, result -> {
            use.accept(result);
            ctx.next();
        });
    }

    /** Runs blocking work (a scan, a check) on a worker thread, never on the event loop. */
    static <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> onSuccess) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> finish(ctx, ar.result(), ar.cause(), onSuccess));
    }

    /** On the request's event loop: answers with the result, or maps the failure (of the work or of the answer). */
    private static <T> void finish(RoutingContext ctx, T result, Throwable failure, Consumer<T> onSuccess) {
        if (failure != null) {
            Errors.respond(ctx, failure);
            return;
        }
        try {
            onSuccess.accept(result);
        } catch (RuntimeException e) {
            Errors.respond(ctx, e);
        }
    }
}
