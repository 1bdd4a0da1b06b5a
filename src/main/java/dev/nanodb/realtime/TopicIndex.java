package dev.nanodb.realtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients by topic key ({@code posts/*}, {@code posts/<id>}), so that a change touches only the clients that
 * subscribed to its collection or to its record, not every connected client.
 */
final class TopicIndex {
    private final ConcurrentHashMap<String, Set<RealtimeClient>> byKey = new ConcurrentHashMap<>();

    static String all(String collection) {
        return collection + "/*";
    }

    static String record(String collection, String id) {
        return collection + "/" + id;
    }

    void add(String key, RealtimeClient c) {
        byKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    void remove(String key, RealtimeClient c) {
        byKey.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }

    Set<RealtimeClient> get(String key) {
        Set<RealtimeClient> s = byKey.get(key);
        return s == null ? Set.of() : s;
    }
}
