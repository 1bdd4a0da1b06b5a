package dev.nanodb.store.lmdb;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.IndexDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A collection as the LMDB backend keeps it: the definition, the 4-byte tag that prefixes its record keys, and
 * the id of each index (the system index on {@code created}, one per indexed field, one per index the definition
 * declares besides those — {@link CollectionDef#backendIndexes()} — keyed as {@link IndexSpec#keyOf} says).
 * Tags and index ids are never reused, so a dropped index's leftovers can never be mistaken for a new one's.
 *
 * @param specs      every index as {@link IndexSpec}, derived from the other components
 * @param composites the composite ones among {@code specs}, kept apart because every query plan asks for them
 */
record StoredCollection(CollectionDef def, int tag, Map<String, Integer> indexIds, List<IndexSpec> specs,
                        List<IndexSpec> composites) {
    /**
     * Every collection is indexed on {@code created}, the usual sort of a feed ({@code sort=-created}). Other
     * system fields are not: {@code id} is the record key itself, and an index on {@code updated} would cost
     * every write an extra entry for a sort that is rare (a collection may declare one).
     */
    static final String[] SYSTEM_INDEXES = {"created"};

    StoredCollection(CollectionDef def, int tag, Map<String, Integer> indexIds) {
        this(def, tag, Map.copyOf(indexIds), specs(def, indexIds));
    }

    private StoredCollection(CollectionDef def, int tag, Map<String, Integer> indexIds, List<IndexSpec> specs) {
        this(def, tag, indexIds, specs, specs.stream().filter(IndexSpec::composite).toList());
    }

    private static List<IndexSpec> specs(CollectionDef def, Map<String, Integer> ids) {
        List<IndexSpec> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            List<String> columns = List.of(e.getKey().split(","));
            boolean unique = columns.size() == 1 ? def.field(e.getKey()).map(FieldDef::unique).orElse(false)
                    : def.backendIndexes().stream().filter(ix -> ix.fields().equals(columns)).anyMatch(IndexDef::unique);
            out.add(new IndexSpec(e.getKey(), e.getValue(), columns, unique));
        }
        return List.copyOf(out);
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
