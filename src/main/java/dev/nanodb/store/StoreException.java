package dev.nanodb.store;

/**
 * The only failures a store reports. Each backend translates its own errors into this family in one place, so
 * nothing above the store ever sees an LMDB or JDBC type. Messages are safe to show to a client; the backend's
 * original error is kept as the cause for the log only.
 */
public abstract sealed class StoreException extends RuntimeException {
    private int operation = -1;

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The position, in the list given to {@link Store#write}, of the operation that failed; -1 when the failure
     * belongs to no single operation (storage full, store closed) or the write was not a {@code write} call.
     */
    public int operation() {
        return operation;
    }

    /** Records which operation failed (a backend calls this once, where it applies that operation); returns this. */
    public StoreException atOperation(int index) {
        if (operation < 0) operation = index;
        return this;
    }

    /** The collection or record does not exist. */
    public static final class NotFound extends StoreException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** The stored version differs from the one the write expected. */
    public static final class VersionConflict extends StoreException {
        private final long actual;

        public VersionConflict(long actual) {
            super("The record was changed by someone else (current version " + actual + ").", null);
            this.actual = actual;
        }

        public long actual() {
            return actual;
        }
    }

    /** A unique field, or the record id, already holds this value. */
    public static final class UniqueViolation extends StoreException {
        private final String field;

        public UniqueViolation(String field) {
            super("Value must be unique.", null);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** A value cannot be stored as given (for instance too long for an index key, or a relation to no record). */
    public static final class InvalidValue extends StoreException {
        private final String field;
        private final String code;

        public InvalidValue(String field, String message) {
            this(field, "validation_invalid_value", message);
        }

        /** @param code the machine-readable reason a client sees beside the message */
        public InvalidValue(String field, String code, String message) {
            super(message, null);
            this.field = field;
            this.code = code;
        }

        public String field() {
            return field;
        }

        public String code() {
            return code;
        }
    }

    /**
     * A delete would leave a required relation empty: {@code field} of the record {@code recordId} of
     * {@code collection} points at a record being deleted, is required and does not cascade.
     */
    public static final class Referenced extends StoreException {
        private final String collection;
        private final String field;

        public Referenced(String collection, String field, String recordId) {
            super("The record is part of a required relation reference (" + collection + "." + field + " of " + recordId
                    + ").", null);
            this.collection = collection;
            this.field = field;
        }

        public String collection() {
            return collection;
        }

        public String field() {
            return field;
        }
    }

    /** An {@link WriteOp.Update}'s change function refused the write; the cause is its exception. */
    public static final class Rejected extends StoreException {
        public Rejected(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The disk or the database map is full; reads keep working, the write was not applied (unless the message says otherwise). */
    public static final class StorageFull extends StoreException {
        public StorageFull(Throwable cause) {
            super("The storage is full; the write was not applied.", cause);
        }

        /** For a write whose outcome is not the default's: committed, but its sync to disk failed for lack of space. */
        public StorageFull(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The store cannot serve the operation right now (closed, I/O failure). Nothing partial was applied. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
