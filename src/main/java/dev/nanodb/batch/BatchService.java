package dev.nanodb.batch;

import dev.nanodb.batch.BatchOp.Kind;
import dev.nanodb.records.RecordService;
import dev.nanodb.records.RecordService.Prepared;
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

    public CompletableFuture<List<Outcome>> run(BatchRequest batch, Identity caller) {
        return resolve(batch.ops(), caller).thenCompose(resolved -> prepare(resolved, caller)
                .thenCompose(prepared -> write(resolved, prepared)));
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

    /** Prepares every operation (concurrently: password hashing dominates); the first failure in order wins. */
    private CompletableFuture<List<Prepared>> prepare(List<Resolved> resolved, Identity caller) {
        List<CompletableFuture<Prepared>> futures = new ArrayList<>(resolved.size());
        for (int i = 0; i < resolved.size(); i++) {
            Resolved r = resolved.get(i);
            futures.add(attempt(i, () -> prepareOne(r, caller)));
        }
        return CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, t) -> v)).toArray(CompletableFuture[]::new))
                .thenApply(all -> futures.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<Prepared> prepareOne(Resolved r, Identity caller) {
        BatchOp op = r.op();
        RequestInfo req = info(r.kind(), op, caller);
        return switch (r.kind()) {
            case CREATE -> records.prepareCreate(r.collection(), op.body(), req);
            case UPDATE -> records.prepareUpdate(r.collection(), op.id() != null ? op.id() : (String) op.body().get("id"),
                    op.body(), req);
            case DELETE -> CompletableFuture.completedFuture(records.prepareDelete(r.collection(), op.id(),
                    op.expectedVersion(), req));
            case UPSERT -> throw new IllegalStateException("upserts are resolved before preparation");
        };
    }

    /** One transaction for the whole batch; a store failure is attributed to the operation the store names. */
    private CompletableFuture<List<Outcome>> write(List<Resolved> resolved, List<Prepared> prepared) {
        List<WriteOp> ops = prepared.stream().map(Prepared::op).toList();
        return records.store().write(ops).handle((changes, failure) -> {
            if (failure != null) {
                Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (t instanceof StoreException e && e.operation() >= 0) throw new BatchFailure(e.operation(), e);
                throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
            }
            List<Outcome> out = new ArrayList<>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                Change change = changes.get(i);
                Resolved r = resolved.get(i);
                out.add(new Outcome(r.kind(), r.collection(), prepared.get(i), change, r.op()));
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
