package dev.nanodb.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window counters of failed attempts per key (a client IP, an identity). Only failures count, so an office
 * behind one address can log in as often as it needs while guessing stays slow; a key that used up its failures
 * waits for the end of its window. Concurrent attempts checked before the first of them fails can exceed the
 * limit by at most the number in flight (the bcrypt pool bounds that too). Memory is bounded: when more than
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

    /** Seconds until {@code key} may try again: 0 unless it has used up the failures of its current window. */
    public long waitFor(String key) {
        Window w = windows.get(key);
        if (w == null) return 0;
        long now = System.currentTimeMillis();
        synchronized (w) {
            if (now - w.start >= windowMillis || w.count < max) return 0;
            return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
        }
    }

    /** Counts one failed attempt of {@code key} in its current window (a new window when the last one ended). */
    public void fail(String key) {
        long now = System.currentTimeMillis();
        if (windows.size() > MAX_KEYS) evict(now);
        Window w = windows.compute(key, (k, old) -> old == null || now - old.start >= windowMillis ? new Window(now) : old);
        synchronized (w) {
            w.count++;
        }
    }

    /** Forgets the attempts of {@code key} (a successful login clears its identity's failures). */
    public void reset(String key) {
        windows.remove(key);
    }

    private void evict(long now) {
        windows.values().removeIf(w -> now - w.start >= windowMillis);
        if (windows.size() > MAX_KEYS) windows.clear();
    }
}
