package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.Upload;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.json.Json;
import dev.nanodb.records.RecordService;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The body handler of a record create or update: a {@code multipart/form-data} body for a collection with file
 * fields is streamed by Vert.x's {@link BodyHandler}, its file parts to temporary files under
 * {@code DB_PATH/uploads} (deleted when the request ends) and never held in the heap; the whole request may be at
 * most the JSON body limit plus {@code maxSelect × maxSize} of every file field (413 beyond: at once for a larger
 * {@code Content-Length}, else as it arrives), and what all streamed requests may hold at once is bounded by the
 * {@link UploadBudget}. Every
 * other body goes to {@link MultipartBody}, which refuses file parts.
 */
final class UploadBody implements Handler<RoutingContext> {
    /** Marks a request whose parts {@link #body} and {@link #uploads} read. */
    private static final String STREAMED = "nanodb.uploads";
    /** The file bytes one batch may carry: PocketBase's default {@code batch.maxBodySize}. */
    static final long BATCH_FILE_BYTES = 128L << 20;
    /** How long a refused upload's body is still read (and dropped) before its connection closes. */
    static final long LINGER_MS = 2000;
    private final MultipartBody plain;
    private final RecordService records;
    private final String uploadsDir;
    private final long bodyLimit;
    private final UploadBudget budget;
    private final ClientIps ips;
    private final Map<Long, BodyHandler> byLimit = new ConcurrentHashMap<>();

    UploadBody(MultipartBody plain, RecordService records, Path uploadsDir, long bodyLimit, UploadBudget budget, ClientIps ips) {
        this.plain = plain;
        this.ips = ips;
        this.budget = budget;
        this.records = records;
        this.uploadsDir = uploadsDir.toString();
        this.bodyLimit = bodyLimit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        CollectionDef c = ctx.pathParam("collection") == null ? null
                : records.collections().find(ctx.pathParam("collection")).orElse(null);
        long files = c == null ? 0 : fileBytes(c);
        if (files == 0 || !multipart(ctx)) {
            plain.handle(ctx);
            return;
        }
        // refuse a locked action before a byte is streamed to disk (the rule itself is judged once the record is known)
        try {
            Access.checkUnlocked(records.rules(c), ctx.request().method() == HttpMethod.POST ? Action.CREATE : Action.UPDATE,
                    Requests.info(ctx, null));
        } catch (ApiException refused) {
            throw closing(ctx, refused);
        }
        stream(ctx, files);
    }

    /**
     * The body handler of {@code POST /api/batch}: a multipart body is streamed as a record's is when some collection
     * has file fields (file parts named {@code requests.N.field}, PocketBase's), within the JSON body limit plus
     * {@link #BATCH_FILE_BYTES}; otherwise {@link MultipartBody} reads it, as before files existed.
     */
    Handler<RoutingContext> forBatch() {
        return ctx -> {
            if (multipart(ctx) && records.collections().list().stream().anyMatch(c -> fileBytes(c) > 0)) stream(ctx, BATCH_FILE_BYTES);
            else plain.handle(ctx);
        };
    }

    /**
     * The body handler of {@code POST /api/backups/upload}: a multipart body streamed to disk as a record's, of at
     * most {@code limit} bytes of files (413 beyond), within the {@link UploadBudget}; any other body is a 400 before
     * it is read (the route takes a {@code file} part only).
     */
    Handler<RoutingContext> forBackup(long limit) {
        return ctx -> {
            if (!multipart(ctx)) {
                throw closing(ctx, ApiException.invalidField("file", "validation_required",
                        "Send the backup as the multipart/form-data part 'file'."));
            }
            stream(ctx, limit);
        };
    }

    private static boolean multipart(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private void stream(RoutingContext ctx, long files) {
        long limit = bodyLimit + files;
        String length = ctx.request().getHeader("Content-Length");
        long claimed = length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : limit;
        String client = Requests.clientKey(ctx, ips);
        try {
            if (claimed > limit) throw new ApiException(413, "The request body is too large.");
            budget.reserve(client, claimed);
        } catch (ApiException refused) {
            throw closing(ctx, refused);
        }
        ctx.addEndHandler(v -> budget.release(client, claimed));
        ctx.put(STREAMED, bodyLimit);
        byLimit.computeIfAbsent(limit, l -> BodyHandler.create(uploadsDir).setBodyLimit(l)
                .setHandleFileUploads(true).setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false)).handle(ctx);
    }

    /**
     * A refusal before the body is read: the connection closes after the answer, with a lingering close — what the
     * client is still sending is read and dropped until its body ends or {@link #LINGER_MS} pass, so that a client
     * busy sending reads the answer instead of a reset, and a client announcing more than it sends holds nothing.
     */
    private static ApiException closing(RoutingContext ctx, ApiException refused) {
        HttpServerRequest req = ctx.request();
        ctx.response().putHeader("Connection", "close").endHandler(v -> {
            if (req.isEnded()) {
                req.connection().close();
                return;
            }
            req.handler(dropped -> { }).endHandler(end -> req.connection().close());
            req.resume();
            ctx.vertx().setTimer(LINGER_MS, id -> req.connection().close());
        });
        return refused;
    }

    private static long fileBytes(CollectionDef c) {
        long sum = 0;
        for (FieldDef f : c.fields()) {
            if (f.type() == FieldType.FILE) sum += f.files().effectiveMaxSize() * (f.maxSelect() == null ? 1 : f.maxSelect());
        }
        return sum;
    }

    /**
     * The JSON of {@code @jsonPayload} with the other plain parts added, for a streamed body; null for any other.
     * 413 when the plain parts together exceed the JSON body limit.
     */
    static Map<String, Object> body(RoutingContext ctx) {
        Long limit = ctx.get(STREAMED);
        if (limit == null) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> plain = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, String> e : ctx.request().formAttributes()) {
            size += e.getKey().length() + e.getValue().length();
            if (e.getKey().equals(MultipartBody.JSON_PAYLOAD)) out.putAll(Json.parseObject(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            else plain.putIfAbsent(e.getKey(), e.getValue());
        }
        if (size > limit) throw new ApiException(413, "The request's fields exceed " + limit + " bytes.");
        plain.forEach(out::putIfAbsent);
        return out;
    }

    /** The file parts of a streamed body, in the order sent. */
    static List<Upload> uploads(RoutingContext ctx) {
        if (ctx.get(STREAMED) == null) return List.of();
        List<Upload> out = new ArrayList<>();
        for (FileUpload u : ctx.fileUploads()) out.add(new Upload(u.name(), u.fileName(), Path.of(u.uploadedFileName()), u.size()));
        return out;
    }
}
