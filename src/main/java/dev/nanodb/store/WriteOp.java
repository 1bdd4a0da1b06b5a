package dev.nanodb.store;

/**
 * One write of a transaction. A transaction ({@link Store#write}) applies a list of these atomically.
 *
 * <p>{@code Replace} stores a whole new version of a record: the caller has merged, validated and stamped it
 * ({@code version == expectedVersion + 1}); the store only checks that the stored version is still
 * {@code expectedVersion}, so a concurrent writer can never be overwritten silently.
 */
public sealed interface WriteOp {
    String collection();

    record Create(String collection, Record record) implements WriteOp {}

    record Replace(String collection, Record record, long expectedVersion) implements WriteOp {}

    /** @param expectedVersion null = delete whatever version is stored */
    record Delete(String collection, String id, Long expectedVersion) implements WriteOp {}
}
