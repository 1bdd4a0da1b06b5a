package dev.nanodb.http;

import dev.nanodb.batch.BatchAnswers;
import dev.nanodb.batch.BatchFailure;
import dev.nanodb.batch.BatchOp;
import dev.nanodb.batch.BatchOp.Shape;
import dev.nanodb.batch.BatchRequest;
import dev.nanodb.batch.BatchService;
import dev.nanodb.error.ApiException;
import dev.nanodb.files.Upload;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.ratelimit.RateLimiter;
import dev.nanodb.records.RecordService;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/batch}: JSON or multipart with {@code @jsonPayload} (see {@link MultipartBody}) and, when a
 * collection has file fields, file parts per operation ({@link UploadBody#forBatch}), answered in
 * the request's shape (see {@link BatchAnswers}). A failure that names an operation becomes the batch's 400 here,
 * its operation's own error mapped by {@link Errors} exactly as the single route would answer it; any other
 * failure (storage full, store unavailable) is answered as it is.
 *
 * <p>Rate limits: besides the rule of {@code POST /api/batch} itself (applied before the body is read, like any
 * route's), every operation counts against the rule of the single route it stands for, for the same client
 * ({@link #routes}), once the batch parses and before anything runs; if any of those rules is over its limit the
 * batch is answered 429 with that rule's {@code X-RateLimit-*} and runs nothing. So a batch costs a client what
 * its operations would cost sent one by one: 100 sign-ups in one request (100 password hashes) are refused like
 * the 11th of 100 single sign-ups under a 10-per-window rule.
 */
final class BatchRoutes {
    private static final Pattern FILE_PART = Pattern.compile("requests(?:\\.(\\d{1,4})\\.|\\[(\\d{1,4})]\\.)(.+)");
    private final BatchService batches;
    private final RecordService records;
    private final RateLimiter limiter;
    private final ClientIps ips;

    BatchRoutes(BatchService batches, RecordService records, RateLimiter limiter, ClientIps ips) {
        this.batches = batches;
        this.records = records;
        this.limiter = limiter;
        this.ips = ips;
    }

    void mount(Router router, Handler<RoutingContext> body) {
        router.post("/api/batch").handler(body).handler(this::batch);
    }

    private void batch(RoutingContext ctx) {
        Map<String, Object> body = Requests.body(ctx);
        Shape shape = BatchRequest.shapeOf(body);
        int size = BatchRequest.sizeOf(body);
        CompletableFuture<Answer> answer;
        try {
            BatchRequest request = BatchRequest.parse(body, batches.maxSize());
            Map<Integer, List<Upload>> files = uploads(ctx, request.ops().size());
            limit(ctx, request);
            answer = batches.run(request, Requests.identity(ctx), files).thenApply(outcomes -> new Answer(200, null, outcomes));
        } catch (BatchFailure f) {
            answer = CompletableFuture.failedFuture(f);
        }
        Requests.await(ctx, answer.exceptionally(t -> failed(shape, size, t)), a -> respond(ctx, shape, a));
    }

    /**
     * The file parts of a streamed batch by operation, named {@code requests.N.field} or {@code requests[N].field}
     * (PocketBase's two forms; {@code field} may carry a {@code +} modifier). A part named otherwise, or for an
     * operation the batch does not have, is 400 — PocketBase ignores it; here no file is dropped silently.
     */
    private static Map<Integer, List<Upload>> uploads(RoutingContext ctx, int size) {
        Map<Integer, List<Upload>> out = new HashMap<>();
        for (Upload u : UploadBody.uploads(ctx)) {
            Matcher m = FILE_PART.matcher(u.part());
            int index = m.matches() ? Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)) : -1;
            if (index < 0 || index >= size) {
                throw new ApiException(400, "Failed to read the submitted batch files data.", Map.of(u.part(),
                        ApiException.fieldError("validation_file_unsupported", "A batch's file part is named requests.N.field, N the index of an operation.")));
            }
            out.computeIfAbsent(index, i -> new ArrayList<>()).add(new Upload(m.group(3), u.filename(), u.path(), u.size()));
        }
        return out;
    }

    /**
     * The answer; one whose operations expand relations, or whose view rules follow relations, reads the store:
     * it is built on a worker, not on the event loop.
     */
    private void respond(RoutingContext ctx, Shape shape, Answer a) {
        if (a.outcomes() == null) {
            Responses.json(ctx, a.status(), a.body());
        } else if (BatchAnswers.expands(shape, a.outcomes())
                || a.outcomes().stream().anyMatch(o -> records.viewRuleReads(o.collection()))) {
            Requests.blocking(ctx, () -> BatchAnswers.success(shape, a.outcomes(), records), out -> Responses.json(ctx, 200, out));
        } else {
            Responses.json(ctx, 200, BatchAnswers.success(shape, a.outcomes(), records));
        }
    }

    private void limit(RoutingContext ctx, BatchRequest request) {
        List<RateLimiter.Route> routes = new ArrayList<>(request.ops().size());
        for (BatchOp op : request.ops()) routes.addAll(routes(op));
        RateLimiter.Decision refused = limiter.checkAll(routes, () -> Requests.clientKey(ctx, ips));
        if (refused != null) RateLimitHandler.apply(ctx.response(), refused);
    }

    /**
     * The single routes an operation stands for. An upsert ({@code PUT}) is decided only later, against the store,
     * and may be either: it counts as the create route and, when its body names an id, as that id's update route
     * too, so that neither a sign-up limit nor an update limit can be passed by sending upserts.
     */
    static List<RateLimiter.Route> routes(BatchOp op) {
        String records = "/api/collections/" + op.collection() + "/records";
        return switch (op.kind()) {
            case CREATE -> List.of(new RateLimiter.Route("POST", records));
            case UPSERT -> op.body().get("id") instanceof String id && !id.isEmpty()
                    ? List.of(new RateLimiter.Route("POST", records), new RateLimiter.Route("PATCH", records + "/" + id))
                    : List.of(new RateLimiter.Route("POST", records));
            case UPDATE -> List.of(new RateLimiter.Route("PATCH", records + "/" + op.id()));
            case DELETE -> List.of(new RateLimiter.Route("DELETE", records + "/" + op.id()));
        };
    }

    /**
     * A batch's answer: a failure's body, or the outcomes of a success, which are judged (view rules) and written
     * on the event loop, not on the thread that completed the store's write.
     */
    private record Answer(int status, Object body, List<BatchService.Outcome> outcomes) {}

    /** The batch's 400 for a failure that names an operation; any other failure is rethrown for {@link Errors}. */
    private static Answer failed(Shape shape, int size, Throwable t) {
        if (!(RecordService.unwrap(t) instanceof BatchFailure f)) throw t instanceof RuntimeException e ? e : new CompletionException(t);
        ApiException op = Errors.toApi(f.getCause());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", op.status());
        response.put("message", op.getMessage());
        response.put("data", op.data());
        Map<String, Object> body = Errors.body(new ApiException(400, BatchAnswers.FAILED,
                BatchAnswers.failureData(f.index(), response)));
        if (shape == Shape.SEED) body.put("results", BatchAnswers.failureResults(size, f.index(), response));
        return new Answer(400, body, null);
    }
}
