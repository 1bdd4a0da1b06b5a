package dev.nanodb.batch;

import dev.nanodb.batch.BatchOp.Kind;
import dev.nanodb.records.RecordService;
import dev.nanodb.records.RecordService.Prepared;
import dev.nanodb.records.StagedWrite;
import dev.nanodb.error.ApiException;
import dev.nanodb.files.Upload;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs a batch: every operation is prepared by {@link RecordService} exactly as its single route prepares it
 * (rules, field protection, validation, password hashing, system fields), then all are applied by ONE
 * {@code Store.write}, so either every operation is applied or none, and the change feed — hence realtime —
 * publishes the batch only once it is committed. A failure is a {@link BatchFailure} naming the first failing
 * operation: in preparation by its position, in the store transaction by {@link StoreException#operation()}.
 *
 * <p>Operations apply in request order inside the transaction: an update or a delete judges (rule, version)
 * the record as the earlier operations of the batch left it, so create → update → delete of one record works.
 * Two steps run before the transaction, in request order: resolving collections (a create into a missing
 * collection auto-creates it, as the single route does — committed on its own, so a failed batch may leave
 * that empty collection behind) and deciding each upsert ({@code PUT}): an update when a record with the body's
 * id exists and the caller may view it — stored, or created earlier in the batch and not deleted since — otherwise
 * a create. A stored record the caller may not view counts as absent, so an upsert answers the same for an id
 * that exists hidden and for one that does not exist (PocketBase differs: its upsert reveals existence).
 */
public final class BatchService {
    private final RecordService records;
    private final int maxSize;

    public BatchService(RecordService records, int maxSize) {
        this.records = records;
        this.maxSize = maxSize;
    }

    public int maxSize() {
        return maxSize;
    }

    /**
     * One applied operation: its (upsert-resolved) kind, collection, the committed change and the operation (with
     * the answer's field selection). Built where the store completes the write (its writer thread), so it judges
     * nothing there: {@link #record} applies the view rule when the answer is written.
     */
    public record Outcome(Kind kind, CollectionDef collection, Prepared prepared, Change change, BatchOp op) {
        /** The record to answer with; null when the caller may not view what it wrote (no record data then). */
        public Record record() {
            return prepared.answer(change).orElse(null);
        }
    }

    /** An operation with its collection resolved and an upsert turned into a create or an update. */
    private record Resolved(Kind kind, CollectionDef collection, BatchOp op) {}

    /** An operation prepared to be written, with its staged files when it carries or may replace any. */
    private record Ready(Prepared prepared, StagedWrite files) {}

    public CompletableFuture<List<Outcome>> run(BatchRequest batch, Identity caller) {
        return run(batch, caller, Map.of());
    }

    /**
     * @param uploads the file parts of each operation, by its index; they follow the durability rule of
     *                {@code files}: stored before the one transaction, removed when the batch certainly fails,
     *                files an update no longer names removed once the batch has committed
     */
    public CompletableFuture<List<Outcome>> run(BatchRequest batch, Identity caller, Map<Integer, List<Upload>> uploads) {
        return resolve(batch.ops(), caller).thenCompose(resolved -> prepare(resolved, caller, uploads)
                .thenCompose(ready -> write(resolved, ready)));
    }

    /** Resolves collections and upserts one operation after the other, in request order. */
    private CompletableFuture<List<Resolved>> resolve(List<BatchOp> ops, Identity caller) {
        CompletableFuture<List<Resolved>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        Map<String, Boolean> existsAfterEarlierOps = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            int index = i;
            BatchOp op = ops.get(i);
            chain = chain.thenCompose(done -> attempt(index, () -> resolveOne(op, caller, existsAfterEarlierOps))
                    .thenApply(r -> {
                        done.add(r);
                        return done;
                    }));
        }
        return chain;
    }

    private CompletableFuture<Resolved> resolveOne(BatchOp op, Identity caller, Map<String, Boolean> exists) {
        if (op.kind() == Kind.UPDATE || op.kind() == Kind.DELETE) {
            CollectionDef c = records.collection(op.collection());
            exists.put(key(c, op.id()), op.kind() == Kind.UPDATE);
            return CompletableFuture.completedFuture(new Resolved(op.kind(), c, op));
        }
        String id = op.body().get("id") instanceof String s && !s.isEmpty() ? s : null;
        var existing = records.collections().find(op.collection());
        if (op.kind() == Kind.UPSERT && id != null && existing.isPresent()) {
            CollectionDef c = existing.get();
            boolean found = exists.computeIfAbsent(key(c, id), k -> records.visible(c, id, info(Kind.UPDATE, op, caller)));
            exists.put(key(c, id), true);
            return CompletableFuture.completedFuture(new Resolved(found ? Kind.UPDATE : Kind.CREATE, c, op));
        }
        return records.collectionForCreate(op.collection(), info(Kind.CREATE, op, caller)).thenApply(c -> {
            if (id != null) exists.put(key(c, id), true);
            return new Resolved(Kind.CREATE, c, op);
        });
    }

    private static String key(CollectionDef c, String id) {
        return c.id() + "/" + id;
    }

    /**
     * Prepares every operation (concurrently: password hashing dominates); the first failure in order wins, and
     * then the files the other operations staged are removed.
     */
    private CompletableFuture<List<Ready>> prepare(List<Resolved> resolved, Identity caller, Map<Integer, List<Upload>> uploads) {
        List<CompletableFuture<Ready>> futures = new ArrayList<>(resolved.size());
        for (int i = 0; i < resolved.size(); i++) {
            Resolved r = resolved.get(i);
            List<Upload> files = uploads.getOrDefault(i, List.of());
            futures.add(attempt(i, () -> prepareOne(r, caller, files)));
        }
        return CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, t) -> v)).toArray(CompletableFuture[]::new))
                .thenApply(all -> {
                    BatchFailure first = null;
                    for (CompletableFuture<Ready> f : futures) {
                        if (f.isCompletedExceptionally() && first == null) first = (BatchFailure) RecordService.unwrap(f.handle((v, t) -> t).join());
                    }
                    if (first == null) return futures.stream().map(CompletableFuture::join).toList();
                    for (CompletableFuture<Ready> f : futures) {
                        Ready ready = f.isCompletedExceptionally() ? null : f.join();
                        if (ready != null && ready.files() != null) ready.files().abandoned();
                    }
                    throw first;
                });
    }

    private CompletableFuture<Ready> prepareOne(Resolved r, Identity caller, List<Upload> uploads) {
        BatchOp op = r.op();
        RequestInfo req = info(r.kind(), op, caller);
        CollectionDef c = r.collection();
        boolean files = !uploads.isEmpty() || RecordService.hasFiles(c);
        return switch (r.kind()) {
            case CREATE -> files ? records.stageCreate(c, op.body(), req, uploads).thenApply(w -> new Ready(w.prepared(), w))
                    : records.prepareCreate(c, op.body(), req).thenApply(p -> new Ready(p, null));
            case UPDATE -> {
                String id = op.id() != null ? op.id() : (String) op.body().get("id");
                yield files ? records.stageUpdate(c, id, op.body(), req, uploads).thenApply(w -> new Ready(w.prepared(), w))
                        : records.prepareUpdate(c, id, op.body(), req).thenApply(p -> new Ready(p, null));
            }
            case DELETE -> {
                if (!uploads.isEmpty()) throw new ApiException(400, "A delete takes no files.");
                yield CompletableFuture.completedFuture(new Ready(records.prepareDelete(c, op.id(), op.expectedVersion(), req), null));
            }
            case UPSERT -> throw new IllegalStateException("upserts are resolved before preparation");
        };
    }

    /**
     * One transaction for the whole batch; a store failure is attributed to the operation the store names. The
     * operations' staged files are settled with the outcome.
     */
    private CompletableFuture<List<Outcome>> write(List<Resolved> resolved, List<Ready> ready) {
        List<WriteOp> ops = ready.stream().map(r -> r.prepared().op()).toList();
        return records.store().write(ops).handle((changes, failure) -> {
            if (failure != null) {
                Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                RuntimeException thrown = t instanceof StoreException e && e.operation() >= 0 ? new BatchFailure(e.operation(), e)
                        : t instanceof RuntimeException re ? re : new IllegalStateException(t);
                for (Ready r : ready) if (r.files() != null) r.files().failed(thrown);
                throw thrown;
            }
            List<Outcome> out = new ArrayList<>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                Change change = changes.get(i);
                Resolved r = resolved.get(i);
                if (ready.get(i).files() != null) ready.get(i).files().committed(change);
                out.add(new Outcome(r.kind(), r.collection(), ready.get(i).prepared(), change, r.op()));
            }
            return out;
        });
    }

    /** What the rules of operation {@code op} see: the batch's caller, the single route's method, its query and body. */
    private static RequestInfo info(Kind kind, BatchOp op, Identity caller) {
        return new RequestInfo(caller, kind.method(), op.query(), op.body());
    }

    /** Runs one operation's step, turning any failure (thrown or completed) into a {@link BatchFailure} naming it. */
    private static <T> CompletableFuture<T> attempt(int index, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> f;
        try {
            f = step.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((v, t) -> {
            if (t == null) return v;
            Throwable cause = RecordService.unwrap(t);
            if (cause instanceof BatchFailure b) throw b;
            throw new BatchFailure(index, cause);
        });
    }
}
