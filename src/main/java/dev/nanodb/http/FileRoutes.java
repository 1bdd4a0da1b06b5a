package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileService;
import dev.nanodb.files.FileStorage;
import dev.nanodb.files.ThumbSize;
import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Tokens;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Ids;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLConnection;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/files/{collection}/{recordId}/{filename}}: a file is served only while a file field of the record
 * names it (so an upload whose write failed, or a file a record dropped, is never served), with its type guessed
 * from its stored name and {@code nosniff} plus a sandboxing {@code Content-Security-Policy}, so an uploaded HTML or
 * SVG file cannot run script on this origin. On local storage the lookup runs on the event loop (a {@code stat},
 * like the open that sending the file costs anyway) unless a protected file's view rule reads other records. {@code ETag}/{@code If-None-Match} (304), one {@code Range} (206, 416; any other Range header is ignored),
 * {@code ?download=1} (attachment), {@code ?thumb=WxH…} (a thumbnail of an image, made once and then served from
 * storage; the original for a size its field does not allow or a file that is no image). A protected file is served only with {@code ?token=} — a file token
 * ({@code POST /api/files/token}) of a caller the record's view rule admits — else 404, as if it did not exist.
 */
final class FileRoutes {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
    private static final String CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    private final RecordService records;
    private final AuthService auth;

    FileRoutes(RecordService records, AuthService auth) {
        this.records = records;
        this.auth = auth;
    }

    void mount(Router router) {
        router.post("/api/files/token").handler(this::token);
        router.get("/api/files/:collection/:recordId/:filename").handler(this::download);
    }

    /** {@code {"token": …}}: a file token of the caller, valid for its collection's {@code fileToken.duration}; 401 without a caller. */
    private void token(RoutingContext ctx) {
        Identity who = Requests.identity(ctx);
        if (who == null) throw new ApiException(401, "The request requires a valid record authorization token.");
        Responses.ok(ctx, Map.of("token", auth.fileToken(who)));
    }

    private void download(RoutingContext ctx) {
        CollectionDef c = records.collections().find(ctx.pathParam("collection")).orElseThrow(FileRoutes::missing);
        String id = ctx.pathParam("recordId");
        String name = ctx.pathParam("filename");
        if (!Ids.valid(id) || !FileKey.validSegment(name)) throw missing();
        String token = ctx.request().getParam("token");
        String thumb = ctx.request().getParam("thumb");
        if (!records.store().readsAreLocal()) {
            Requests.blocking(ctx, () -> lookup(c, locate(c, id, name, thumb), token), found -> answer(ctx, found));
            return;
        }
        Located at = locate(c, id, name, thumb);
        if (records.files().findsLocally() && !(at.protect() && records.viewRuleReads(c))) {
            Found found;
            try {
                found = lookup(c, at, token);
            } catch (ApiException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            answer(ctx, found);
        } else {
            Requests.blocking(ctx, () -> lookup(c, at, token), found -> answer(ctx, found));
        }
    }

    /** The record holding the file and what its field says about it: protection and the thumbnail asked for. */
    private record Located(Record record, FileKey key, boolean protect, ThumbSize size) {}

    /** A file or thumbnail found for a download, and where it was located. */
    private record Found(Served served, Located at) {}

    /** Reads the record (a store read: a round trip on PostgreSQL, so never there on the event loop). */
    private Located locate(CollectionDef c, String id, String name, String thumb) {
        Record r = records.store().get(c.name(), id).orElseThrow(FileRoutes::missing);
        FieldDef field = holding(c, r, name);
        if (field == null) throw missing();
        return new Located(r, new FileKey(c.id(), id, name), field.files().protect(), thumbSize(field, thumb));
    }

    /** Judges a protected file's token and finds the stored thumbnail or the file (storage reads). */
    private Found lookup(CollectionDef c, Located at, String token) throws java.io.IOException {
        if (at.protect() && !mayView(c, at.record(), token)) throw missing();
        if (at.size() != null) {
            FileKey thumb = at.key().thumbnail(at.size());
            Optional<FileStorage.Blob> stored = records.files().find(thumb);
            if (stored.isPresent()) return new Found(new Served(thumb, stored.get()), at);
        }
        return new Found(new Served(at.key(), records.files().find(at.key()).orElseThrow(FileRoutes::missing)), at);
    }

    /** Sends what was found, or — a thumbnail not made yet — makes it first (off the loop) and sends it. */
    private void answer(RoutingContext ctx, Found found) {
        Located at = found.at();
        if (at.size() == null || found.served().key().thumb() != null) {
            serve(ctx, found.served(), at.protect());
            return;
        }
        Context loop = ctx.vertx().getOrCreateContext();
        records.files().thumbnail(at.key(), at.size()).whenComplete((made, failure) -> loop.runOnContext(v -> {
            if (ctx.response().closed() || ctx.response().ended()) return;
            try {
                Served thumb = made == null || made.isEmpty() ? new Served(found.served().key(), found.served().blob(), false)
                        : new Served(at.key().thumbnail(at.size()), made.get());
                serve(ctx, thumb, at.protect());
            } catch (RuntimeException e) {
                Errors.respond(ctx, e);
            }
        }));
    }

    /**
     * A file or thumbnail about to be sent; not {@code lasting} when it is the original sent at a thumbnail's URL
     * (the thumbnail could not be made now), which caches must not keep there.
     */
    private record Served(FileKey key, FileStorage.Blob blob, boolean lasting) {
        Served(FileKey key, FileStorage.Blob blob) {
            this(key, blob, true);
        }
    }

    /**
     * The thumbnail size {@code ?thumb=} asks for when the field allows it (its {@code thumbs} or PocketBase's
     * default {@code 100x100}), else null: the original is served, as PocketBase does for any other size.
     */
    private static ThumbSize thumbSize(FieldDef field, String asked) {
        if (asked == null || !(asked.equals(ThumbSize.DEFAULT) || field.files().thumbs().contains(asked))) return null;
        return ThumbSize.parse(asked).orElse(null);
    }

    /** Whether the holder of the file token may view the record (its view rule; a superuser always). */
    private boolean mayView(CollectionDef c, Record r, String token) {
        Identity who = auth.identifyFileToken(token);
        if (who == null) return false;
        return Access.admits(records.rules(c), Action.VIEW, new RequestInfo(who, "GET", Map.of(), null), r);
    }

    /** The file field of {@code r} that names {@code name}, or null. */
    private static FieldDef holding(CollectionDef c, Record r, String name) {
        for (FieldDef f : c.fields()) {
            if (f.type() == FieldType.FILE && FileService.namesIn(r.resolve(f.name())).contains(name)) return f;
        }
        return null;
    }

    private static void serve(RoutingContext ctx, Served served, boolean protect) {
        HttpServerResponse res = ctx.response();
        FileStorage.Blob blob = served.blob();
        String name = served.key().fileName();
        String etag = "\"" + Long.toHexString(blob.size()) + "-" + Long.toHexString(blob.modified().toEpochMilli()) + "\"";
        String type = served.key().thumb() != null ? FileService.thumbnailType(name) : URLConnection.guessContentTypeFromName(name);
        res.putHeader("Content-Type", type == null ? "application/octet-stream" : type)
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Security-Policy", CSP)
                .putHeader("Cache-Control", protect ? "private, no-store" : served.lasting() ? "max-age=2592000, stale-while-revalidate=86400" : "no-cache").putHeader("ETag", etag)
                .putHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(blob.modified().atOffset(ZoneOffset.UTC)))
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Disposition", (asAttachment(ctx) ? "attachment" : "inline") + "; filename=\"" + name + "\"");
        if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
            res.setStatusCode(304).end();
            return;
        }
        long size = blob.size();
        long offset = 0;
        long length = size;
        String range = ctx.request().getHeader("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.strip());
        if (m != null && m.matches()) { // a malformed or multi-range header is ignored (RFC 9110): the whole file
            long[] r = bounds(m.group(1), m.group(2), size);
            if (r == null) {
                res.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
                return;
            }
            offset = r[0];
            length = r[1] - r[0] + 1;
            res.setStatusCode(206).putHeader("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
        }
        if (blob.localPath().isPresent()) {
            res.sendFile(blob.localPath().get().toString(), offset, length).onFailure(gone -> {
                if (!res.headWritten()) Errors.respond(ctx, missing()); // removed since it was found
                else res.reset();
            });
        } else {
            stream(ctx, blob, offset, length);
        }
    }

    /**
     * A file of remote storage, copied to the response in 64 KiB chunks on a worker, each written before the next is
     * read (the response's pace, never the whole file in the heap).
     */
    static void stream(RoutingContext ctx, FileStorage.Blob blob, long offset, long length) {
        HttpServerResponse res = ctx.response().putHeader("Content-Length", Long.toString(length));
        ctx.vertx().executeBlocking(() -> {
            try (java.io.InputStream in = blob.open(offset, length)) {
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    res.write(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOf(chunk, n)))
                            .toCompletionStage().toCompletableFuture().join();
                }
            }
            return null;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) res.end();
            else res.reset();
        });
    }

    /** First and last byte of a single range, or null when it cannot be satisfied. */
    private static long[] bounds(String first, String last, long size) {
        if (first.isEmpty() && last.isEmpty()) return null;
        if (first.isEmpty()) {
            long n = Long.parseLong(last);
            return n == 0 || size == 0 ? null : new long[] {Math.max(0, size - n), size - 1};
        }
        long a = Long.parseLong(first);
        long b = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
        return a > b || a >= size ? null : new long[] {a, b};
    }

    private static boolean asAttachment(RoutingContext ctx) {
        String d = ctx.request().getParam("download");
        return d != null && !d.isEmpty() && !d.equals("0") && !d.equalsIgnoreCase("false");
    }

    private static ApiException missing() {
        return ApiException.notFound("The requested resource wasn't found.");
    }
}
