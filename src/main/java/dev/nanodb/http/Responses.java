package dev.nanodb.http;

import dev.nanodb.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers. */
final class Responses {
    private Responses() {}

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) return;
        raw(ctx, status, Json.write(body));
    }

    private static final CharSequence CONTENT_TYPE = io.vertx.core.http.HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence JSON = io.vertx.core.http.HttpHeaders.createOptimized("application/json");

    /** Writes an already-serialised JSON body, handing the array to Netty without another copy. */
    static void raw(RoutingContext ctx, int status, byte[] json) {
        var response = ctx.response();
        if (response.ended()) return;
        if (status != 200) response.setStatusCode(status);
        response.putHeader(CONTENT_TYPE, JSON)
                .end(io.vertx.core.internal.buffer.BufferInternal.buffer(io.netty.buffer.Unpooled.wrappedBuffer(json)));
    }

    static void ok(RoutingContext ctx, Object body) {
        json(ctx, 200, body);
    }
}
