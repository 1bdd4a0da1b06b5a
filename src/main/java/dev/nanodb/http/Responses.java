package dev.nanodb.http;

import dev.nanodb.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers. */
final class Responses {
    private Responses() {}

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.write(body)));
    }

    /** Writes an already-serialised JSON body. */
    static void raw(RoutingContext ctx, int status, byte[] json) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(json));
    }

    static void ok(RoutingContext ctx, Object body) {
        json(ctx, 200, body);
    }
}
