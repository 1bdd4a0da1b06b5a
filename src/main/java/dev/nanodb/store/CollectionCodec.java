package dev.nanodb.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link CollectionDef} as a plain map (the backends write it as JSON), read back by
 * {@link #fromMap}. It is not the wire shape: the collections API has its own codec, so a stored fact such as
 * {@code countedFields} never reaches a client and the API can follow PocketBase without changing what is on disk.
 *
 * <p>{@link #fromMap} trusts its input's structure (it reads what {@link #toMap} wrote); it does not validate.
 * Definitions written before relation options existed named the target collection under {@code collection}; it
 * is read as the target id (the collections capability resolves a name left there at start-up). An auth
 * collection's options are stored whole under {@code authOptions}, client secrets included; a definition stored
 * without them (written before they existed) reads with {@link AuthOptions#defaults()}.
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
        m.put("countedFields", c.countedFields());
        if (!c.indexes().isEmpty()) m.put("indexes", c.indexes().stream().map(CollectionCodec::indexToMap).toList());
        if (c.authOptions() != null) m.put("authOptions", AuthOptionsCodec.toMap(c.authOptions(), true));
        return m;
    }

    private static Map<String, Object> indexToMap(IndexDef ix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ix.name());
        m.put("unique", ix.unique());
        List<Object> columns = new ArrayList<>();
        for (IndexDef.Column c : ix.columns()) columns.add(Map.of("field", c.field(), "desc", c.descending()));
        m.put("columns", columns);
        return m;
    }

    private static IndexDef indexFromMap(Map<?, ?> m) {
        List<IndexDef.Column> columns = new ArrayList<>();
        for (Object o : (List<?>) m.get("columns")) {
            Map<?, ?> c = (Map<?, ?>) o;
            columns.add(new IndexDef.Column((String) c.get("field"), Boolean.TRUE.equals(c.get("desc"))));
        }
        return new IndexDef((String) m.get("name"), Boolean.TRUE.equals(m.get("unique")), columns);
    }

    private static Map<String, Object> fieldToMap(FieldDef f) {
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
        if (f.relation() != null) {
            putIfSet(m, "collectionId", f.relation().collectionId());
            m.put("minSelect", f.relation().minSelect());
            m.put("cascadeDelete", f.relation().cascadeDelete());
        }
        if (f.files() != null) {
            m.put("maxSize", f.files().maxSize());
            m.put("mimeTypes", f.files().mimeTypes());
            m.put("thumbs", f.files().thumbs());
            m.put("protected", f.files().protect());
        }
        putNewerOptions(m, f);
        return m;
    }

    /** The options of the types and flags added after the first stored form; absent when unset, so older readers agree. */
    private static void putNewerOptions(Map<String, Object> m, FieldDef f) {
        if (f.onlyInt()) m.put("onlyInt", true);
        putIfSet(m, "autogeneratePattern", f.autogeneratePattern());
        if (f.cost() != 0) m.put("cost", f.cost());
        if (f.editor() != null) {
            m.put("maxSize", f.editor().maxSize());
            m.put("convertURLs", f.editor().convertURLs());
        }
        if (f.autodate() != null) {
            m.put("onCreate", f.autodate().onCreate());
            m.put("onUpdate", f.autodate().onUpdate());
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, Object v) {
        if (v != null) m.put(key, v);
    }

    @SuppressWarnings("unchecked")
    public static CollectionDef fromMap(Map<String, ?> m) {
        List<FieldDef> fields = new ArrayList<>();
        for (Object o : (List<?>) m.get("fields")) fields.add(fieldFromMap((Map<?, ?>) o));
        CollectionDef.Rules rules = new CollectionDef.Rules((String) m.get("listRule"), (String) m.get("viewRule"),
                (String) m.get("createRule"), (String) m.get("updateRule"), (String) m.get("deleteRule"));
        return CollectionDef.builder((String) m.get("id"), (String) m.get("name"),
                        CollectionType.fromWire((String) m.get("type")))
                .schemaless(Boolean.TRUE.equals(m.get("schemaless"))).system(Boolean.TRUE.equals(m.get("system")))
                .fields(fields).rules(rules).created((String) m.get("created")).updated((String) m.get("updated"))
                .countedFields((List<String>) m.get("countedFields"))
                .indexes(m.get("indexes") instanceof List<?> l
                        ? l.stream().map(o -> indexFromMap((Map<?, ?>) o)).toList() : List.of())
                .authOptions(m.get("authOptions") instanceof Map<?, ?> o
                        ? AuthOptionsCodec.fromMap(o, AuthOptions.defaults(), (path, problem) -> { }) : null)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static FieldDef fieldFromMap(Map<?, ?> m) {
        FieldType type = FieldType.fromWire((String) m.get("type"));
        FieldDef.Relation relation = null;
        if (type == FieldType.RELATION) {
            Object target = m.containsKey("collectionId") ? m.get("collectionId") : m.get("collection");
            relation = new FieldDef.Relation((String) target,
                    m.get("minSelect") == null ? 0 : ((Number) m.get("minSelect")).intValue(),
                    Boolean.TRUE.equals(m.get("cascadeDelete")));
        }
        FieldDef.Files files = type != FieldType.FILE ? null : new FieldDef.Files(
                m.get("maxSize") == null ? 0 : ((Number) m.get("maxSize")).longValue(), (List<String>) m.get("mimeTypes"),
                (List<String>) m.get("thumbs"), Boolean.TRUE.equals(m.get("protected")));
        return FieldDef.builder((String) m.get("name"), type)
                .required(Boolean.TRUE.equals(m.get("required"))).unique(Boolean.TRUE.equals(m.get("unique")))
                .indexed(Boolean.TRUE.equals(m.get("indexed"))).hidden(Boolean.TRUE.equals(m.get("hidden")))
                .defaultValue(m.get("default")).min(asDouble(m.get("min"))).max(asDouble(m.get("max")))
                .pattern((String) m.get("pattern")).values((List<String>) m.get("values"))
                .maxSelect(m.get("maxSelect") == null ? null : ((Number) m.get("maxSelect")).intValue())
                .relation(relation).files(files).onlyInt(Boolean.TRUE.equals(m.get("onlyInt")))
                .autogeneratePattern((String) m.get("autogeneratePattern"))
                .cost(m.get("cost") == null ? 0 : ((Number) m.get("cost")).intValue())
                .editor(type != FieldType.EDITOR ? null : new FieldDef.Editor(
                        m.get("maxSize") == null ? 0 : ((Number) m.get("maxSize")).longValue(), Boolean.TRUE.equals(m.get("convertURLs"))))
                .autodate(type != FieldType.AUTODATE ? null : new FieldDef.Autodate(
                        Boolean.TRUE.equals(m.get("onCreate")), Boolean.TRUE.equals(m.get("onUpdate"))))
                .build();
    }

    private static Double asDouble(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }
}
