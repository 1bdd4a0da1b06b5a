package dev.nanodb.http;

import dev.nanodb.batch.BatchAnswers;
import dev.nanodb.batch.BatchFailure;
import dev.nanodb.batch.BatchOp;
import dev.nanodb.batch.BatchOp.Shape;
import dev.nanodb.batch.BatchRequest;
import dev.nanodb.batch.BatchService;
import dev.nanodb.error.ApiException;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.ratelimit.RateLimiter;
import dev.nanodb.records.RecordService;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/batch}: JSON or multipart with {@code @jsonPayload} (see {@link MultipartBody}), answered in
 * the request's shape (see {@link BatchAnswers}). A failure that names an operation becomes the batch's 400 here,
 * its operation's own error mapped by {@link Errors} exactly as the single route would answer it; any other
 * failure (storage full, store unavailable) is answered as it is.
 *
 * <p>Rate limits: besides the rule of {@code POST /api/batch} itself (applied before the body is read, like any
 * route's), every operation counts against the rule of the single route it stands for, for the same client
 * ({@link #route}), once the batch parses and before anything runs; if any of those rules is over its limit the
 * batch is answered 429 with that rule's {@code X-RateLimit-*} and runs nothing. So a batch costs a client what
 * its operations would cost sent one by one: 100 sign-ups in one request (100 password hashes) are refused like
 * the 11th of 100 single sign-ups under a 10-per-window rule.
 */
final class BatchRoutes {
    private final BatchService batches;
    private final RateLimiter limiter;
    private final ClientIps ips;

    BatchRoutes(BatchService batches, RateLimiter limiter, ClientIps ips) {
        this.batches = batches;
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
            limit(ctx, request);
            answer = batches.run(request, Requests.identity(ctx))
                    .thenApply(outcomes -> new Answer(200, BatchAnswers.success(shape, outcomes)));
        } catch (BatchFailure f) {
            answer = CompletableFuture.failedFuture(f);
        }
        Requests.await(ctx, answer.exceptionally(t -> failed(shape, size, t)), a -> Responses.json(ctx, a.status(), a.body()));
    }

    private void limit(RoutingContext ctx, BatchRequest request) {
        List<RateLimiter.Route> routes = new ArrayList<>(request.ops().size());
        for (BatchOp op : request.ops()) routes.add(route(op));
        RateLimiter.Decision refused = limiter.checkAll(routes, () -> Requests.clientKey(ctx, ips));
        if (refused != null) RateLimitHandler.apply(ctx.response(), refused);
    }

    /**
     * The single route an operation stands for. An upsert ({@code PUT}) counts as the create route: it may create,
     * and a create is what a limit on sign-ups guards.
     */
    static RateLimiter.Route route(BatchOp op) {
        String records = "/api/collections/" + op.collection() + "/records";
        return switch (op.kind()) {
            case CREATE, UPSERT -> new RateLimiter.Route("POST", records);
            case UPDATE -> new RateLimiter.Route("PATCH", records + "/" + op.id());
            case DELETE -> new RateLimiter.Route("DELETE", records + "/" + op.id());
        };
    }

    private record Answer(int status, Object body) {}

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
        return new Answer(400, body);
    }
}
