package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.logs.LogQuery;
import dev.nanodb.logs.LogService;
import dev.nanodb.records.ListParams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The request logs in PocketBase's shape, superusers only (401 without a token, 403 for any other, before anything
 * else): {@code GET /api/logs} ({@code page}, {@code perPage}, {@code sort}, {@code filter}, {@code fields},
 * {@code skipTotal}, checked on the event loop as records' lists are), {@code GET /api/logs/stats?filter=} and
 * {@code GET /api/logs/{id}}, and {@code DELETE /api/logs} (204: every entry removed; PocketBase's coming
 * endpoint, which the SDK's {@code pb.logs.truncate()} calls). Every read walks the log store, so it runs on a
 * worker thread.
 */
final class LogRoutes {
    private static final String BASE = "/api/logs";
    private final LogService logs;

    LogRoutes(LogService logs) {
        this.logs = logs;
    }

    void mount(Router router) {
        router.route(BASE).handler(Requests::superusersOnly);
        router.route(BASE + "/*").handler(Requests::superusersOnly);
        router.get(BASE).handler(this::list);
        router.delete(BASE).handler(this::truncate);
        router.get(BASE + "/stats").handler(this::stats);
        router.get(BASE + "/:id").handler(this::one);
    }

    private void list(RoutingContext ctx) {
        ListParams p = ListParams.parse(Requests.query(ctx, "page"), Requests.query(ctx, "perPage"), Requests.query(ctx, "sort"),
                Requests.query(ctx, "filter"), Requests.query(ctx, "fields"), Requests.query(ctx, "skipTotal"));
        LogQuery q = LogQuery.parse(p.filter(), p.sort(), p.page(), p.perPage(), p.fields(), p.skipTotal());
        Requests.blocking(ctx, () -> logs.list(q), out -> Responses.ok(ctx, out));
    }

    private void truncate(RoutingContext ctx) {
        Requests.blocking(ctx, logs::truncate, removed -> ctx.response().setStatusCode(204).end());
    }

    private void stats(RoutingContext ctx) {
        String filter = Requests.query(ctx, "filter");
        Requests.blocking(ctx, () -> logs.stats(filter), out -> Responses.ok(ctx, out));
    }

    private void one(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        var fields = ListParams.fieldSet(Requests.query(ctx, "fields"));
        Requests.blocking(ctx, () -> {
            Object entry = logs.find(id, fields);
            if (entry == null) throw ApiException.notFound("The requested resource wasn't found.");
            return entry;
        }, out -> Responses.ok(ctx, out));
    }
}
