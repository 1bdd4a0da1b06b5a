package dev.nanodb.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window counters of attempts per key (a client IP, an identity). Memory is bounded: when more than
 * {@link #MAX_KEYS} keys are tracked, windows that have ended are dropped, and if that is not enough the whole
 * table is reset — a flood of distinct keys may then win a fresh window, but can never exhaust the heap.
 */
public final class AttemptLimiter {
    static final int MAX_KEYS = 100_000;
    private final int max;
    private final long windowMillis;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    public AttemptLimiter(int max, long windowMillis) {
        this.max = max;
        this.windowMillis = windowMillis;
    }

    /** Counts one attempt for {@code key}; returns 0 when allowed, otherwise the seconds until the window ends. */
    public long acquire(String key) {
        long now = System.currentTimeMillis();
        if (windows.size() > MAX_KEYS) evict(now);
        Window w = windows.compute(key, (k, old) -> old == null || now - old.start >= windowMillis ? new Window(now) : old);
        synchronized (w) {
            if (w.count >= max) return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
            w.count++;
            return 0;
        }
    }

    /** Forgets the attempts of {@code key} (a successful login clears its identity's failures). */
    public void reset(String key) {
        windows.remove(key);
    }

    int trackedKeys() {
        return windows.size();
    }

    private void evict(long now) {
        windows.values().removeIf(w -> now - w.start >= windowMillis);
        if (windows.size() > MAX_KEYS) windows.clear();
    }
}
