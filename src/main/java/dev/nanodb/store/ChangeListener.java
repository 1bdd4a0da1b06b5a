package dev.nanodb.store;

import java.util.List;

/**
 * Receives committed changes, one call per committed transaction, in commit order. Called on the store's commit
 * thread after durability: implementations must hand work off quickly and never throw.
 */
@FunctionalInterface
public interface ChangeListener {
    void onCommit(List<Change> changes);
}
