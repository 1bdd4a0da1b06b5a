package dev.nanodb.store;

import dev.nanodb.filter.Expr;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The storage contract that every backend (embedded LMDB, PostgreSQL) implements identically.
 *
 * <p>Reads are synchronous and may be called from any thread. Writes are asynchronous: the returned future
 * completes only once the write is durable (or fails with a {@link StoreException}), which lets a backend group
 * many concurrent writers into one commit. A failed transaction applies nothing and publishes nothing.
 * Committed changes are published to every {@link ChangeListener} after durability, in commit order.
 */
public interface Store extends AutoCloseable {

    List<CollectionDef> collections();

    Optional<CollectionDef> collection(String name);

    /**
     * Creates or updates (matched by id) a collection. Index changes are built over existing records in the same
     * transaction; a new unique index over duplicate values fails with {@link StoreException.UniqueViolation}
     * and changes nothing. Values of fields the new definition no longer declares are removed from every record.
     */
    CompletableFuture<CollectionDef> saveCollection(CollectionDef def);

    /** Deletes a collection with all its records and indexes. */
    CompletableFuture<Void> deleteCollection(String collectionId);

    /**
     * Deletes the collections {@code deletes} (with their records and indexes), then saves every definition of
     * {@code saves} as {@link #saveCollection} would, all in ONE transaction: every change commits or none does
     * (a collections import must not stop half-way). Names must be unique in the resulting set of collections
     * ({@link StoreException.UniqueViolation} on {@code name} otherwise, so a deleted collection's name may be taken
     * by a saved one); a missing collection to delete is {@link StoreException.NotFound}; an id may not be both
     * deleted and saved. Listeners of a backend that publishes definition changes see them in that order.
     */
    CompletableFuture<Void> applyCollections(List<CollectionDef> saves, List<String> deletes);

    Optional<Record> get(String collection, String id);

    /**
     * Whether reads are answered from this process's memory in microseconds (LMDB's memory map), so that an event
     * loop may make them. False when a read is a round trip to a database server (PostgreSQL): an event loop must
     * then hand every read to a worker, or one slow answer would hold up every request of that loop, {@code /health}
     * included.
     */
    default boolean readsAreLocal() {
        return false;
    }

    /**
     * The records of {@code collection} among {@code ids} that exist, by id, read together (one read transaction,
     * one statement): for an answer that names many records at once, such as an expansion of a page. Ids that are
     * no record are absent from the map.
     */
    default java.util.Map<String, Record> getAll(String collection, java.util.Collection<String> ids) {
        java.util.Map<String, Record> out = new java.util.HashMap<>();
        for (String id : ids) get(collection, id).ifPresent(r -> out.put(id, r));
        return out;
    }

    /**
     * The ids of at most {@code limit} records of {@code collection} matching {@code filter}, in no particular order:
     * what a semi-join asks of a target collection. A backend answers from its indexes without reading the
     * records where it can.
     */
    default List<String> ids(String collection, Expr filter, int limit) {
        return query(new Query(collection, filter, List.of(), 1, limit, true)).items().stream().map(Record::id).toList();
    }

    /**
     * A page of records matching the query, with exact totals unless {@code skipTotal}. A backend that ranks in
     * its own heap for a sort no index provides (LMDB: at most 50,000 records) may refuse a deeper page with
     * {@link StoreException.InvalidValue} on {@code "page"}, so that a single request cannot exhaust the heap;
     * PostgreSQL sorts in the database and has no such bound.
     */
    Page query(Query query);

    /** The exact number of records of a collection matching a filter (null = all). */
    long count(String collection, Expr filter);

    /**
     * Answers the query only when an index or a stored counter bounds its work (no scan of the collection) and no
     * part of the filter is left to evaluate record by record (whose cost grows with the records' size), so it is
     * cheap enough to run on an event loop; empty otherwise — then call {@link #query} on a worker thread.
     */
    Optional<Page> queryBounded(Query query);

    /**
     * Applies the operations atomically and durably, in list order (a later operation sees what an earlier one
     * wrote: create, update and delete of one record in one call work); the future yields one change per
     * operation. When an operation fails (not found, version conflict, unique violation, invalid value, a
     * refusing {@link WriteOp.Update} change or {@link WriteOp.Delete} check) nothing is applied and the
     * {@link StoreException} says which one with {@link StoreException#operation()} — every backend sets it, so
     * callers such as the batch API can name the failing operation.
     */
    CompletableFuture<List<Change>> write(List<WriteOp> ops);

    void addChangeListener(ChangeListener listener);

    /**
     * The secret kept under {@code name}, created from {@code generate} when there is none yet. Get-or-create is
     * atomic across every NanoDB node sharing this store, so all of them use one value (the token secret: a token
     * signed by one node verifies on all); once returned, the value is durable and never changes. {@code generate}
     * is called at most once per call and its value may be discarded when another caller stored one first.
     */
    String sharedSecret(String name, Supplier<String> generate);

    StoreStats stats();

    /** The long operations of this store (index builds, backups) with their progress, for administrators. */
    Operations operations();

    /** Verifies every index entry and counter against the records; never modifies anything. */
    ConsistencyReport check();

    @Override
    void close();
}
