package dev.nanodb.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored record: its system fields and its user fields.
 *
 * <p>Invariants: {@code id} is 15 characters of {@code [a-z0-9]}; {@code created} and {@code updated} are
 * ISO-8601 UTC with milliseconds; {@code version} starts at 1 and grows by one per update. {@code data} holds
 * only user fields, as plain JSON values (String, Long, Double, Boolean, null, List, Map), and is unmodifiable.
 */
public record Record(String id, String created, String updated, long version, Map<String, Object> data) {

    public Record {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /**
     * The value at a path as the filter language sees it: system fields by name, user fields by name, and
     * {@code a.b} into JSON objects. Missing → null.
     */
    public Object resolve(String path) {
        switch (path) {
            case "id": return id;
            case "created": return created;
            case "updated": return updated;
            case "_version": return version;
            default: break;
        }
        int dot = path.indexOf('.');
        if (dot < 0) return data.get(path);
        Object cur = data.get(path.substring(0, dot));
        for (String part : path.substring(dot + 1).split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(part);
        }
        return cur;
    }

    public Record withData(Map<String, Object> newData, String updatedAt, long newVersion) {
        return new Record(id, created, updatedAt, newVersion, newData);
    }
}
