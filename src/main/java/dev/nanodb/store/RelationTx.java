package dev.nanodb.store;

import java.util.List;

/**
 * What a backend offers {@link RelationActions} inside one write transaction: reads see the transaction's own
 * writes, and writes join it, so relation integrity commits or rolls back with the write that needed it.
 */
public interface RelationTx {
    /** The stored definition with this id, or null. */
    CollectionDef collectionById(String id);

    /**
     * Whether {@code id} is a record of {@code c}. A backend whose writers run concurrently also keeps the record
     * from being deleted until this transaction ends.
     */
    boolean exists(CollectionDef c, String id);

    /**
     * Up to {@code limit} records of {@code source} whose relation {@code field} holds {@code id}, locked for this
     * transaction where writers run concurrently. Called again until it returns none, so each call must not return
     * a record that an earlier call's caller has since changed to no longer hold the id.
     */
    List<Record> referencing(CollectionDef source, FieldDef field, String id, int limit);

    /** Deletes {@code r} of {@code c} (indexes and counters included) and returns its change. */
    Change delete(CollectionDef c, Record r);

    /** Stores {@code next} in place of {@code old} (same id, next version) and returns its change. */
    Change replace(CollectionDef c, Record old, Record next);
}
