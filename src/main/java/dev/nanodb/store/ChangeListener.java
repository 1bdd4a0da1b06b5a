package dev.nanodb.store;

import java.util.List;

/**
 * Receives committed changes, one call per committed transaction, in commit order. Called on the store's commit
 * thread after durability: implementations must hand work off quickly and never throw.
 */
@FunctionalInterface
public interface ChangeListener {
    void onCommit(List<Change> changes);

    /**
     * The store's whole content was replaced (a restore) without a change per record: anything derived from
     * records must be reloaded. Called once, on the thread that did the restore, after the new data is live.
     */
    default void onReset() {}
}
