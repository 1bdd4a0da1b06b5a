package dev.nanodb.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a {@link CollectionDef} to and from the plain-map form used both on the wire (PocketBase's collection
 * shape: {@code id, name, type, system, fields[], listRule … deleteRule, created, updated}) and by backends for
 * persistence, so the two can never drift apart.
 *
 * <p>{@link #fromMap} trusts its input's structure (it reads what {@link #toMap} wrote or what the schema layer
 * has validated); it does not validate names or options.
 */
public final class CollectionCodec {
    private CollectionCodec() {}

    public static Map<String, Object> toMap(CollectionDef c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("type", c.type().wireName());
        m.put("system", c.system());
        m.put("schemaless", c.schemaless());
        List<Object> fields = new ArrayList<>();
        for (FieldDef f : c.fields()) fields.add(fieldToMap(f));
        m.put("fields", fields);
        m.put("listRule", c.rules().listRule());
        m.put("viewRule", c.rules().viewRule());
        m.put("createRule", c.rules().createRule());
        m.put("updateRule", c.rules().updateRule());
        m.put("deleteRule", c.rules().deleteRule());
        m.put("created", c.created());
        m.put("updated", c.updated());
        return m;
    }

    public static Map<String, Object> fieldToMap(FieldDef f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("type", f.type().wireName());
        m.put("required", f.required());
        m.put("unique", f.unique());
        m.put("indexed", f.indexed());
        m.put("hidden", f.hidden());
        putIfSet(m, "default", f.defaultValue());
        putIfSet(m, "min", f.min());
        putIfSet(m, "max", f.max());
        putIfSet(m, "pattern", f.pattern());
        putIfSet(m, "values", f.values());
        putIfSet(m, "maxSelect", f.maxSelect());
        putIfSet(m, "collection", f.target());
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object v) {
        if (v != null) m.put(key, v);
    }

    public static CollectionDef fromMap(Map<String, ?> m) {
        List<FieldDef> fields = new ArrayList<>();
        for (Object o : (List<?>) m.get("fields")) fields.add(fieldFromMap((Map<?, ?>) o));
        CollectionDef.Rules rules = new CollectionDef.Rules((String) m.get("listRule"), (String) m.get("viewRule"),
                (String) m.get("createRule"), (String) m.get("updateRule"), (String) m.get("deleteRule"));
        return new CollectionDef((String) m.get("id"), (String) m.get("name"),
                CollectionType.fromWire((String) m.get("type")), Boolean.TRUE.equals(m.get("schemaless")),
                Boolean.TRUE.equals(m.get("system")), fields, rules, (String) m.get("created"), (String) m.get("updated"));
    }

    @SuppressWarnings("unchecked")
    public static FieldDef fieldFromMap(Map<?, ?> m) {
        return new FieldDef((String) m.get("name"), FieldType.fromWire((String) m.get("type")),
                Boolean.TRUE.equals(m.get("required")), Boolean.TRUE.equals(m.get("unique")),
                Boolean.TRUE.equals(m.get("indexed")), Boolean.TRUE.equals(m.get("hidden")), m.get("default"),
                asDouble(m.get("min")), asDouble(m.get("max")), (String) m.get("pattern"),
                (List<String>) m.get("values"), m.get("maxSelect") == null ? null : ((Number) m.get("maxSelect")).intValue(),
                (String) m.get("collection"));
    }

    private static Double asDouble(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}
