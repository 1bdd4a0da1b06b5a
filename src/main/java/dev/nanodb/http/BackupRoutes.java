package dev.nanodb.http;

import dev.nanodb.backups.BackupService;
import dev.nanodb.error.ApiException;
import dev.nanodb.schema.Times;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backups in PocketBase's shape, for superusers only (401 without a token, 403 for any other token, before anything
 * else). Creating and restoring answer 204 only once the work is complete, so a client simply awaits the request;
 * both run on a worker thread. A download is streamed from the file ({@code sendFile}), never loaded into memory,
 * and needs the {@code Authorization} header like every other route (no token in the URL).
 */
final class BackupRoutes {
    private static final String BASE = "/api/backups";
    private final BackupService backups;

    BackupRoutes(BackupService backups) {
        this.backups = backups;
    }

    void mount(Router router, BodyHandler body) {
        router.route(BASE).handler(Requests::superusersOnly);
        router.route(BASE + "/*").handler(Requests::superusersOnly);
        router.get(BASE).handler(this::list);
        router.post(BASE).handler(body).handler(this::create);
        router.get(BASE + "/:key").handler(this::download);
        router.delete(BASE + "/:key").handler(this::delete);
        router.post(BASE + "/:key/restore").handler(this::restore);
    }

    private void list(RoutingContext ctx) {
        Requests.blocking(ctx, backups::list, (List<BackupService.Backup> all) ->
                Responses.ok(ctx, all.stream().map(BackupRoutes::json).toList()));
    }

    private static Map<String, Object> json(BackupService.Backup b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", b.key());
        out.put("size", b.size());
        out.put("modified", Times.formatPocketBase(b.modified()));
        return out;
    }

    /** Body {@code {}} (or none) for a name from the current time, or {@code {"name":"my_backup.mdb"}}. */
    private void create(RoutingContext ctx) {
        boolean empty = ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0;
        Object name = empty ? null : Requests.body(ctx).get("name");
        if (name != null && !(name instanceof String)) {
            throw ApiException.invalidField("name", "validation_invalid_backup_name", "The name must be a string.");
        }
        Requests.blocking(ctx, () -> backups.create((String) name), key -> noContent(ctx));
    }

    private void download(RoutingContext ctx) {
        String key = ctx.pathParam("key");
        Requests.blocking(ctx, () -> backups.file(key), file -> ctx.response()
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Disposition", "attachment; filename=\"" + key + "\"")
                .sendFile(file.toString())
                .onFailure(e -> Errors.respond(ctx, e)));
    }

    private void delete(RoutingContext ctx) {
        String key = ctx.pathParam("key");
        Requests.blocking(ctx, () -> {
            backups.delete(key);
            return key;
        }, k -> noContent(ctx));
    }

    private void restore(RoutingContext ctx) {
        String key = ctx.pathParam("key");
        Requests.blocking(ctx, () -> backups.restore(key), previous -> noContent(ctx));
    }

    private static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }
}
