package dev.nanodb.store.lmdb;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A collection as the LMDB backend keeps it: the definition, the 4-byte tag that prefixes its record keys, and
 * the id of each index (the system index on {@code created}, then one per indexed field).
 * Tags and index ids are never reused, so a dropped index's leftovers can never be mistaken for a new one's.
 */
record StoredCollection(CollectionDef def, int tag, Map<String, Integer> indexIds) {
    /**
     * Every collection is indexed on {@code created}, the usual sort of a feed ({@code sort=-created}). Other
     * system fields are not: {@code id} is the record key itself, and an index on {@code updated} would cost
     * every write an extra entry for a sort that is rare.
     */
    static final String[] SYSTEM_INDEXES = {"created"};

    StoredCollection {
        indexIds = Map.copyOf(indexIds);
    }

    boolean isUnique(String field) {
        return def.field(field).map(FieldDef::unique).orElse(false);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("def", dev.nanodb.store.CollectionCodec.toMap(def));
        m.put("tag", (long) tag);
        m.put("indexes", new LinkedHashMap<>(indexIds));
        return m;
    }

    @SuppressWarnings("unchecked")
    static StoredCollection fromMap(Map<String, Object> m) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("indexes")).forEach((k, v) -> ids.put(k, ((Number) v).intValue()));
        return new StoredCollection(dev.nanodb.store.CollectionCodec.fromMap((Map<String, Object>) m.get("def")),
                ((Number) m.get("tag")).intValue(), ids);
    }
}
