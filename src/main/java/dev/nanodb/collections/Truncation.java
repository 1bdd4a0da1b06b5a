package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.RelationGraph;
import dev.nanodb.store.SortKey;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@code DELETE /api/collections/{c}/truncate}: deletes every record the collection held when the truncate began
 * ({@code created} at or before that instant — {@code created} is stamped by the server and never assigned by a
 * client), oldest first, in batches of {@link #BATCH} {@link WriteOp.Delete}s, each ONE {@code Store.write}. So a
 * truncate is exactly a series of ordinary deletes: relation integrity cascades or refuses inside each batch's
 * transaction, listeners get a {@code delete} event per record (realtime), and the file service removes each deleted
 * record's files after its commit; each write transaction stays bounded whatever the collection's size, and a crash
 * leaves a consistent store with the collection partly emptied. A record created while it runs is kept.
 *
 * <p>Unlike PocketBase (one transaction, all or nothing), a refusal part way leaves earlier batches deleted. To keep
 * that rare, a required, non-cascading relation field (this collection's own included) that holds any id into the
 * collection refuses the truncate before the first delete, with PocketBase's message.
 */
final class Truncation {
    /** Records per write transaction; their cascades join the same transaction. */
    static final int BATCH = 200;
    static final String REFUSED = "Failed to truncate collection (most likely due to required cascade delete record references).";

    private Truncation() {}

    static void run(Store store, CollectionDef c, RelationGraph graph) {
        if (c.name().equals("_superusers")) {
            throw new ApiException(400, "The _superusers collection cannot be truncated: it would remove every superuser.");
        }
        refuseRequiredReferences(store, c, graph);
        Expr existing = new Compare(new Field("created"), Op.LTE, new Literal(Times.now()));
        Query batch = new Query(c.name(), existing, List.of(new SortKey("created", false)), 1, BATCH, true);
        Operations.Operation progress = store.operations().start("truncate", "truncate " + c.name(), store.count(c.name(), existing));
        try {
            long done = 0;
            while (true) {
                List<Record> records = store.query(batch).items();
                if (records.isEmpty()) return;
                List<WriteOp> ops = new ArrayList<>(records.size());
                for (Record r : records) ops.add(new WriteOp.Delete(c.name(), r.id(), null));
                done += delete(store, ops);
                progress.done(done);
            }
        } catch (CompletionException e) {
            progress.fail("stopped part way");
            if (e.getCause() instanceof StoreException.Referenced) throw new ApiException(400, REFUSED);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            progress.close();
        }
    }

    /**
     * Deletes {@code ops} in one write. A record already gone — cascaded by an earlier delete of the same batch (a
     * self-relation), or deleted concurrently — fails the write at its position: the deletes before it are written
     * alone and the rest is left to the next batch's query. Returns how many were deleted.
     */
    private static int delete(Store store, List<WriteOp> ops) {
        try {
            store.write(ops).join();
            return ops.size();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof StoreException.NotFound nf) || nf.operation() < 0) throw e;
            return nf.operation() == 0 ? 0 : delete(store, ops.subList(0, nf.operation()));
        }
    }

    /** PocketBase refuses a delete that would empty a required relation that does not cascade; refuse up front. */
    private static void refuseRequiredReferences(Store store, CollectionDef c, RelationGraph graph) {
        for (RelationGraph.Reference r : graph.into(c.id())) {
            if (!r.field().required() || r.field().relation().cascadeDelete()) continue;
            if (store.count(r.source().name(), Filters.parse(r.field().name() + ":length > 0")) > 0) {
                throw new ApiException(400, REFUSED, java.util.Map.of(r.source().name() + "." + r.field().name(),
                        ApiException.fieldError("validation_required_relation", "Records hold ids of this collection in this"
                                + " required relation field.")));
            }
        }
    }
}
