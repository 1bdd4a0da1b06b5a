package dev.nanodb.batch;

/**
 * A batch failed because of one of its operations: {@code index} is that operation's position in the request,
 * the cause why it failed (an {@code ApiException} or a {@code StoreException}, mapped to a status by the HTTP
 * layer as for a single route). Nothing of the batch was applied.
 */
public final class BatchFailure extends RuntimeException {
    private final int index;

    public BatchFailure(int index, Throwable cause) {
        super("Batch request " + index + " failed.", cause, false, false);
        this.index = index;
    }

    public int index() {
        return index;
    }
}
