package dev.nanodb.http;

import dev.nanodb.auth.AuthService;
import dev.nanodb.backups.BackupService;
import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileStorage;
import dev.nanodb.files.Upload;
import dev.nanodb.rules.Identity;
import dev.nanodb.schema.Times;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backups in PocketBase's shape, for superusers only (401 without a token, 403 for any other token, before anything
 * else — an upload is refused before a byte of it is read). Creating, uploading and restoring answer 204 only once
 * the work is complete, so a client simply awaits the request; all run on a worker thread. A download is streamed
 * (from the file with {@code sendFile}, or from the bucket in chunks), never loaded into memory, and opens with a
 * superuser's {@code Authorization} header or, as PocketBase's {@code getDownloadURL}, a superuser's file token in
 * {@code ?token=} (which no log line holds: NanoDB logs no request URL).
 */
final class BackupRoutes {
    private static final String BASE = "/api/backups";
    private final BackupService backups;
    private final AuthService auth;

    BackupRoutes(BackupService backups, AuthService auth) {
        this.backups = backups;
        this.auth = auth;
    }

    /** @param uploadBody streams an upload's multipart body to disk ({@link UploadBody#forBackup}) */
    void mount(Router router, BodyHandler body, Handler<RoutingContext> uploadBody) {
        router.get(BASE + "/:key").handler(this::download);
        router.route(BASE).handler(Requests::superusersOnly);
        router.route(BASE + "/*").handler(Requests::superusersOnly);
        router.get(BASE).handler(this::list);
        router.post(BASE).handler(body).handler(this::create);
        router.post(BASE + "/upload").handler(uploadBody).handler(this::upload);
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

    /** Body {@code {}} (or none) for a name from the current time, or {@code {"name":"my_backup.zip"}}. */
    private void create(RoutingContext ctx) {
        boolean empty = ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0;
        Object name = empty ? null : Requests.body(ctx).get("name");
        if (name != null && !(name instanceof String)) {
            throw ApiException.invalidField("name", "validation_invalid_backup_name", "The name must be a string.");
        }
        Requests.blocking(ctx, () -> backups.create((String) name), key -> noContent(ctx));
    }

    /** PocketBase's upload: the part {@code file}, kept under its own file name once checked. */
    private void upload(RoutingContext ctx) {
        Upload file = UploadBody.uploads(ctx).stream().filter(u -> u.part().equals("file")).findFirst().orElse(null);
        if (file == null) throw ApiException.invalidField("file", "validation_required", "Cannot be blank.");
        Requests.blocking(ctx, () -> backups.upload(file.filename() == null ? "" : file.filename(), file.path()), key -> noContent(ctx));
    }

    /**
     * Who may download: a superuser's {@code Authorization}, else a superuser's file token in {@code ?token=}
     * (PocketBase's {@code getDownloadURL}); 401 with neither, 403 with anything else — before the key is looked at.
     */
    private void download(RoutingContext ctx) {
        String key = ctx.pathParam("key");
        Identity caller = Requests.identity(ctx);
        String token = ctx.request().getParam("token");
        if ((caller == null || !caller.superuser()) && (token == null || token.isEmpty())) Requests.requireSuperuser(ctx);
        Requests.blocking(ctx, () -> {
            if (caller == null || !caller.superuser()) {
                Identity holder = auth.identifyFileToken(token);
                if (holder == null || !holder.superuser()) {
                    throw new ApiException(403, "Insufficient permissions to access the resource.");
                }
            }
            return backups.find(key);
        }, blob -> send(ctx, key, blob));
    }

    private static void send(RoutingContext ctx, String key, FileStorage.Blob blob) {
        ctx.response().putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Disposition", "attachment; filename=\"" + key + "\"")
                .putHeader("Cache-Control", "private, no-store");
        if (blob.localPath().isPresent()) {
            ctx.response().sendFile(blob.localPath().get().toString()).onFailure(e -> Errors.respond(ctx, e));
        } else {
            FileRoutes.stream(ctx, blob, 0, blob.size());
        }
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
