package dev.nanodb.records;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The public JSON form of a record: {@code collectionId, collectionName, id, created, updated, _version}, then
 * the user fields. Hidden fields are removed here, the single exit through which every record leaves the
 * server, so no response, event or error can carry one.
 */
public final class RecordJson {
    private RecordJson() {}

    public static Map<String, Object> toMap(CollectionDef c, Record r, Set<String> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, fields, "collectionId", c.id());
        put(m, fields, "collectionName", c.name());
        put(m, fields, "id", r.id());
        put(m, fields, "created", r.created());
        put(m, fields, "updated", r.updated());
        put(m, fields, "_version", r.version());
        for (Map.Entry<String, Object> e : r.data().entrySet()) {
            FieldDef f = c.field(e.getKey()).orElse(null);
            if (f != null && f.hidden()) continue;
            put(m, fields, e.getKey(), e.getValue());
        }
        return m;
    }

    private static void put(Map<String, Object> m, Set<String> fields, String key, Object value) {
        if (fields == null || fields.contains(key)) m.put(key, value);
    }
}
