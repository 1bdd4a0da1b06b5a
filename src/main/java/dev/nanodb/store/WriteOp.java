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

    /**
     * Changes a record inside the write transaction, serialised with every other write. {@code check} (may be null)
     * receives the stored record first and throws to refuse; only then is {@code expectedVersion} compared, so a
     * caller the check refuses never learns whether the record exists or which version it has. {@code change}
     * receives the stored record and returns its next version (same id, {@code version + 1}), or throws to refuse.
     * Either refusal reaches the caller as {@link StoreException.Rejected} carrying that exception. No retry loop
     * is needed and concurrent updates of one record never fail each other. Both functions must be fast and
     * side-effect free.
     *
     * @param expectedVersion null = whatever version is stored
     */
    record Update(String collection, String id, Long expectedVersion, java.util.function.Consumer<Record> check,
                  java.util.function.UnaryOperator<Record> change) implements WriteOp {
        public Update(String collection, String id, Long expectedVersion, java.util.function.UnaryOperator<Record> change) {
            this(collection, id, expectedVersion, null, change);
        }

        /** Runs {@code check} on the stored record; a backend calls this before it compares the version. */
        public void permit(Record stored) {
            WriteOp.permit(check, stored);
        }
    }

    /**
     * Deletes a record. {@code check} (may be null) receives the stored record inside the write transaction and
     * throws to refuse — the caller then gets {@link StoreException.Rejected} carrying that exception — so a
     * permission check judges exactly the version it deletes, including one changed earlier in the same
     * transaction. The check runs before the version comparison, so a refused caller never learns the version.
     * It must be fast and side-effect free.
     *
     * @param expectedVersion null = delete whatever version is stored
     */
    record Delete(String collection, String id, Long expectedVersion, java.util.function.Consumer<Record> check)
            implements WriteOp {
        public Delete(String collection, String id, Long expectedVersion) {
            this(collection, id, expectedVersion, null);
        }

        /** Runs {@code check} on the stored record; a backend calls this before it compares the version. */
        public void permit(Record stored) {
            WriteOp.permit(check, stored);
        }
    }

    private static void permit(java.util.function.Consumer<Record> check, Record stored) {
        if (check == null) return;
        try {
            check.accept(stored);
        } catch (RuntimeException e) {
            throw new StoreException.Rejected(e);
        }
    }
}
