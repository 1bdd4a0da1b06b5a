package dev.nanodb.store;

/**
 * A committed write, as published on the change feed after its transaction is durable.
 *
 * @param seq    a number that grows with every committed change of this store (commit order)
 * @param record the record after the write; for a delete, the record as it was
 */
public record Change(long seq, Action action, String collectionId, String collection, Record record) {
    public enum Action { CREATE, UPDATE, DELETE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
