package dev.nanodb.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one store, shared by every backend. {@link #publish} hands one committed transaction to each
 * listener on the caller's thread (the backend's single publishing thread); a listener that throws anything — an
 * {@link Error} too — is logged and skipped, so it can never stop that thread, on which every later change waits.
 */
public final class ChangeListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListeners.class);
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    public void add(ChangeListener listener) {
        listeners.add(listener);
    }

    public void publish(List<Change> changes) {
        for (ChangeListener l : listeners) {
            try {
                l.onCommit(changes);
            } catch (Throwable e) {
                LOG.error("change listener failed", e);
            }
        }
    }

    /** Tells every listener that the store's content was replaced (see {@link ChangeListener#onReset()}). */
    public void reset() {
        for (ChangeListener l : listeners) {
            try {
                l.onReset();
            } catch (Throwable e) {
                LOG.error("change listener failed to reset", e);
            }
        }
    }
}
