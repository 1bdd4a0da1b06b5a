package dev.nanodb.collections;

import dev.nanodb.store.AuthOptionsCodec;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A collection in the collections API's shape (PocketBase's: {@code id, name, type, system, fields[],
 * listRule … deleteRule, indexes, created, updated}, plus NanoDB's {@code schemaless} and the per-field
 * {@code indexed}/{@code unique} flags). Facts a backend keeps about a collection are never part of it. An auth
 * collection carries its options at the top level, as PocketBase's does, without the OAuth2 client secrets.
 */
public final class CollectionJson {
    private CollectionJson() {}

    public static Map<String, Object> toMap(CollectionDef c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("type", c.type().wireName());
        m.put("system", c.system());
        m.put("schemaless", c.schemaless());
        List<Object> fields = new ArrayList<>();
        for (FieldDef f : c.fields()) fields.add(field(f));
        m.put("fields", fields);
        m.put("indexes", c.indexes().stream().map(ix -> IndexSql.build(ix, c.name())).toList());
        m.put("listRule", c.rules().listRule());
        m.put("viewRule", c.rules().viewRule());
        m.put("createRule", c.rules().createRule());
        m.put("updateRule", c.rules().updateRule());
        m.put("deleteRule", c.rules().deleteRule());
        m.put("created", c.created());
        m.put("updated", c.updated());
        if (c.authOptions() != null) m.putAll(AuthOptionsCodec.toMap(c.authOptions(), false));
        return m;
    }

    private static Map<String, Object> field(FieldDef f) {
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
        if (f.relation() != null) {
            m.put("collectionId", f.relation().collectionId());
            m.put("cascadeDelete", f.relation().cascadeDelete());
            m.put("minSelect", f.relation().minSelect());
            m.put("maxSelect", f.maxSelect() == null ? 1 : f.maxSelect());
        } else if (f.files() != null) {
            m.put("maxSelect", f.maxSelect() == null ? 1 : f.maxSelect());
            m.put("maxSize", f.files().maxSize());
            m.put("mimeTypes", f.files().mimeTypes());
            m.put("thumbs", f.files().thumbs());
            m.put("protected", f.files().protect());
        } else {
            putIfSet(m, "maxSelect", f.maxSelect());
        }
        putTypeOptions(m, f);
        return m;
    }

    /** The options of number, text, password, editor and autodate fields, as PocketBase names them. */
    private static void putTypeOptions(Map<String, Object> m, FieldDef f) {
        switch (f.type()) {
            case NUMBER -> m.put("onlyInt", f.onlyInt());
            case TEXT -> putIfSet(m, "autogeneratePattern", f.autogeneratePattern());
            case PASSWORD -> m.put("cost", f.cost());
            case EDITOR -> {
                m.put("maxSize", f.editor().maxSize());
                m.put("convertURLs", f.editor().convertURLs());
            }
            case AUTODATE -> {
                m.put("onCreate", f.autodate().onCreate());
                m.put("onUpdate", f.autodate().onUpdate());
            }
            default -> { }
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, Object v) {
        if (v != null) m.put(key, v);
    }
}
