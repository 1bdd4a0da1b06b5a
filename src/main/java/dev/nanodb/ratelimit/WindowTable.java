package dev.nanodb.ratelimit;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed-window request counters per (rule, client key), in a table that never holds more than {@code maxKeys}
 * windows, however many addresses appear.
 *
 * <p>A key's window starts with its first request and lasts the rule's window; the next request after its end
 * starts a new one. A new key is inserted under a lock that first makes room: windows that have ended are
 * dropped, and if the table is still full, the windows closest to their end, down to 90% of the cap (so a flood
 * of new addresses pays for one sweep per tenth of the table, not one per request). Evicting a live window only
 * forgets that key's count: a flood of distinct addresses can win some clients a fresh window, never exhaust the
 * heap. Counting in an existing window takes no lock.
 */
final class WindowTable {
    /** What one key's window holds: its end (clock millis) and, as the atomic value, its request count. */
    private static final class Window extends AtomicInteger {
        final long end;

        Window(long end) {
            this.end = end;
        }
    }

    private record Key(String rule, String ip) {}

    /** The count of a request in its window, and when that window ends. */
    record Hit(int count, long end) {}

    private final int maxKeys;
    private final ConcurrentHashMap<Key, Window> windows = new ConcurrentHashMap<>();
    private final Object insertLock = new Object();

    WindowTable(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** Counts one request of {@code ip} under {@code rule} at {@code now} (clock millis). */
    Hit hit(String rule, String ip, long windowMillis, long now) {
        return hit(rule, ip, windowMillis, now, 1);
    }

    /** Counts {@code requests} requests of {@code ip} under {@code rule} at {@code now}, all in one window. */
    Hit hit(String rule, String ip, long windowMillis, long now, int requests) {
        Key key = new Key(rule, ip);
        while (true) {
            Window w = windows.get(key);
            if (w == null) {
                w = insert(key, now + windowMillis, now);
            } else if (now >= w.end) {
                Window fresh = new Window(now + windowMillis);
                if (!windows.replace(key, w, fresh)) continue;
                w = fresh;
            }
            if (now >= w.end) continue;
            return new Hit(w.addAndGet(requests), w.end);
        }
    }

    private Window insert(Key key, long end, long now) {
        synchronized (insertLock) {
            Window present = windows.get(key);
            if (present != null) return present;
            if (windows.size() >= maxKeys) evict(now);
            Window w = new Window(end);
            windows.put(key, w);
            return w;
        }
    }

    /** Called with the insert lock held, so the table only shrinks while it runs. */
    private void evict(long now) {
        windows.values().removeIf(w -> now >= w.end);
        int target = maxKeys - Math.max(1, maxKeys / 10);
        int excess = windows.size() - target;
        if (excess <= 0) return;
        long[] ends = windows.values().stream().mapToLong(w -> w.end).toArray();
        Arrays.sort(ends);
        long cutoff = ends[Math.min(ends.length - 1, excess - 1)];
        windows.values().removeIf(w -> w.end <= cutoff);
    }

    /** The windows held now (never more than the cap). */
    int size() {
        return windows.size();
    }

    int maxKeys() {
        return maxKeys;
    }
}
