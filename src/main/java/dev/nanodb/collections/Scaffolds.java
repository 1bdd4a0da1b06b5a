package dev.nanodb.collections;

import dev.nanodb.store.CollectionDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/collections/meta/scaffolds}: PocketBase's {@code {auth, base, view}} default definitions, each as
 * NanoDB creates a collection of that type from a body with only a type — built by {@link CollectionValidator} itself,
 * so a scaffold never drifts from what a create stores — with an empty id, name and timestamps, as PocketBase shows
 * them. PocketBase's implicit fields lead (and end) the field list as it shows them ({@code id}, and the
 * {@code created}/{@code updated} every NanoDB record has), marked {@code system}; a create or import that sends them
 * back ignores them. {@code view} is shown for clients that list the types; creating one is 400.
 */
final class Scaffolds {
    private Scaffolds() {}

    static Map<String, Object> all() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("auth", scaffold("auth"));
        out.put("base", scaffold("base"));
        Map<String, Object> view = scaffold("base");
        view.put("type", "view");
        view.put("fields", List.of());
        view.put("viewQuery", "");
        out.put("view", view);
        return out;
    }

    private static Map<String, Object> scaffold(String type) {
        CollectionDef def = CollectionValidator.validate(Map.of("name", "scaffold", "type", type), null, "", key -> null);
        Map<String, Object> m = CollectionJson.toMap(def);
        m.put("id", "");
        m.put("name", "");
        m.put("created", "");
        m.put("updated", "");
        List<Object> fields = new ArrayList<>();
        fields.add(idField());
        fields.addAll((List<?>) m.get("fields"));
        fields.add(autodate("created", false));
        fields.add(autodate("updated", true));
        m.put("fields", fields);
        return m;
    }

    /** PocketBase's {@code id} field: 15 characters of {@code [a-z0-9]}, which NanoDB's ids are. */
    private static Map<String, Object> idField() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", "id");
        f.put("type", "text");
        f.put("system", true);
        f.put("primaryKey", true);
        f.put("required", true);
        f.put("hidden", false);
        f.put("min", 15);
        f.put("max", 15);
        f.put("pattern", "^[a-z0-9]+$");
        f.put("autogeneratePattern", "[a-z0-9]{15}");
        return f;
    }

    private static Map<String, Object> autodate(String name, boolean onUpdate) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("type", "autodate");
        f.put("system", true);
        f.put("hidden", false);
        f.put("onCreate", true);
        f.put("onUpdate", onUpdate);
        return f;
    }
}
