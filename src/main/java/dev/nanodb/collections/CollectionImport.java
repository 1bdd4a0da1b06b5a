package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Plans {@code PUT /api/collections/import} with PocketBase's semantics: each given collection is matched by id,
 * else by name; a match is updated (the given keys over the stored definition; its fields not listed are kept, or
 * removed with {@code deleteMissing}), anything else is created (keeping a given id); with {@code deleteMissing},
 * every stored collection not matched is deleted — never a system one.
 *
 * <p>Invariant: the plan is validated as a whole against the state it produces — relation targets and rules may name
 * collections created, renamed or deleted by the same import, names are unique in the result, no kept collection
 * points at or joins a deleted one — and nothing is saved here. {@link CollectionService} then applies the plan in
 * ONE store transaction ({@code Store.applyCollections}), so an import applies whole or not at all.
 */
final class CollectionImport {
    /** What to save and what to delete, in one transaction. */
    record Plan(List<CollectionDef> saves, List<String> deletes) {}

    /** A PocketBase collection id ({@code pbc_1234567890}, {@code _pb_users_auth_}): safe in file keys and table names. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]{1,50}");

    private final List<CollectionDef> stored;
    private final Map<String, Object> errors = new LinkedHashMap<>();
    private final String now;

    private CollectionImport(List<CollectionDef> stored, String now) {
        this.stored = stored;
        this.now = now;
    }

    /** The plan of an import body ({@code collections}, {@code deleteMissing}), or a 400 naming every problem. */
    static Plan plan(Map<String, Object> body, List<CollectionDef> stored, String now) {
        if (!(body.get("collections") instanceof List<?> raw) || raw.isEmpty()) {
            throw ApiException.invalidField("collections", "validation_required", "Give at least one collection.");
        }
        boolean deleteMissing = Boolean.TRUE.equals(body.get("deleteMissing"));
        return new CollectionImport(stored, now).plan(raw, deleteMissing);
    }

    private Plan plan(List<?> raw, boolean deleteMissing) {
        List<Item> items = match(raw, deleteMissing);
        Set<String> matched = new HashSet<>();
        for (Item it : items) matched.add(it.id());
        List<String> deletes = new ArrayList<>();
        List<CollectionDef> kept = new ArrayList<>();
        for (CollectionDef d : stored) {
            if (matched.contains(d.id())) continue;
            if (deleteMissing && !d.system()) deletes.add(d.id()); else kept.add(d);
        }
        failIfAny();
        // pass 1 sees the new collections as stubs (id and name), pass 2 the full definitions of pass 1, so a rule
        // may follow a relation into a collection of the same import
        Map<String, CollectionDef> planned = new LinkedHashMap<>();
        for (Item it : items) planned.put(it.id(), it.existing() != null ? it.existing() : stub(it));
        for (int pass = 0; pass < 2; pass++) {
            Function<String, CollectionDef> lookup = lookup(planned, kept);
            Map<String, CollectionDef> next = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                CollectionDef def = validate(i, it, lookup, pass == 1);
                next.put(it.id(), def != null ? def : planned.get(it.id()));
            }
            planned = next;
        }
        failIfAny();
        checkResult(items, planned, kept);
        failIfAny();
        List<CollectionDef> saves = new ArrayList<>();
        for (CollectionDef d : planned.values()) saves.add(CountedFields.derive(d));
        return new Plan(saves, deletes);
    }

    /** One given collection: its body (fields merged as PocketBase does), the stored match and its final id. */
    private record Item(Map<String, Object> body, CollectionDef existing, String id) {}

    private List<Item> match(List<?> raw, boolean deleteMissing) {
        List<Item> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                errors.put("collections." + i, ApiException.fieldError("validation_invalid_collection", "Must be an object."));
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            m.forEach((k, v) -> body.put(String.valueOf(k), v));
            String given = body.get("id") instanceof String s && !s.isEmpty() ? s : null;
            String key = given != null ? given : body.get("name") instanceof String s ? s : null;
            CollectionDef existing = key == null ? null : find(key).orElse(null);
            String id = existing != null ? existing.id() : given != null ? given : "pbc_" + dev.nanodb.schema.Ids.newId().substring(5);
            if (existing == null && given != null && !ID.matcher(given).matches()) {
                errors.put("collections." + i + ".id", ApiException.fieldError("validation_invalid_id",
                        "Letters, digits and _ only, at most 50."));
            }
            if (!ids.add(id)) {
                errors.put("collections." + i, ApiException.fieldError("validation_duplicate_collection",
                        "Another collection of this import has the same id or name."));
            }
            if (existing != null && (body.get("fields") != null || deleteMissing)) {
                body.put("fields", mergedFields(body.get("fields"), existing, deleteMissing));
            }
            out.add(new Item(body, existing, id));
        }
        return out;
    }

    /**
     * PocketBase's field merge for an update that lists fields or has {@code deleteMissing} (otherwise the stored
     * fields stay as they are): the given fields, then the stored ones the import does not name — unless
     * {@code deleteMissing}, which keeps only the given fields (none when {@code fields} is absent; an auth collection
     * keeps its auth fields, which the validator adds).
     */
    private static Object mergedFields(Object given, CollectionDef existing, boolean deleteMissing) {
        if (given != null && !(given instanceof List<?>)) return given; // the validator names it
        List<Object> out = given == null ? new ArrayList<>() : new ArrayList<>((List<?>) given);
        if (deleteMissing) return out;
        Set<String> named = new HashSet<>();
        for (Object f : out) if (f instanceof Map<?, ?> fm) named.add(String.valueOf(fm.get("name")));
        List<?> storedFields = (List<?>) CollectionJson.toMap(existing).get("fields");
        for (int j = 0; j < existing.fields().size(); j++) {
            FieldDef f = existing.fields().get(j);
            if (!named.contains(f.name())) out.add(storedFields.get(j));
        }
        return out;
    }

    /** @param report false in the first pass, whose problems (a rule naming a field of a stub) the second settles */
    private CollectionDef validate(int i, Item it, Function<String, CollectionDef> lookup, boolean report) {
        try {
            CollectionDef def = CollectionValidator.validate(it.body(), it.existing(), it.id(), now, lookup);
            if (report && it.existing() != null && it.existing().system() && !def.name().equals(it.existing().name())) {
                errors.put("collections." + i + ".name", ApiException.fieldError("validation_system_collection",
                        "System collections cannot be renamed."));
            }
            return def;
        } catch (ApiException e) {
            if (!report) return null;
            Object data = e.data();
            if (data instanceof Map<?, ?> m && !m.isEmpty()) {
                m.forEach((k, v) -> errors.put("collections." + i + "." + k, v));
            } else {
                errors.put("collections." + i, ApiException.fieldError("validation_invalid_collection", e.getMessage()));
            }
            return null;
        }
    }

    /** Names unique in the result; no kept collection's relation or rule reaches a deleted or changed collection. */
    private void checkResult(List<Item> items, Map<String, CollectionDef> planned, List<CollectionDef> kept) {
        Map<String, String> names = new HashMap<>();
        for (CollectionDef d : kept) names.put(d.name(), d.id());
        for (int i = 0; i < items.size(); i++) {
            CollectionDef d = planned.get(items.get(i).id());
            String other = names.putIfAbsent(d.name(), d.id());
            if (other != null && !other.equals(d.id())) {
                errors.put("collections." + i + ".name", ApiException.fieldError("validation_collection_name_exists",
                        "The name is already in use."));
            }
        }
        Function<String, CollectionDef> lookup = lookup(planned, kept);
        for (CollectionDef d : kept) {
            for (FieldDef f : d.relationFields()) {
                if (lookup.apply(f.target()) == null) {
                    errors.put(d.name() + "." + f.name(), ApiException.fieldError("validation_missing_collection",
                            "This relation's target would be deleted; remove or change the field first."));
                }
            }
            CollectionDef.Rules r = d.rules();
            String[] rules = {r.listRule(), r.viewRule(), r.createRule(), r.updateRule(), r.deleteRule()};
            String[] keys = {"listRule", "viewRule", "createRule", "updateRule", "deleteRule"};
            for (int k = 0; k < rules.length; k++) {
                CollectionValidator.checkRule(rules[k], d.name() + "." + keys[k], d, s -> Optional.ofNullable(lookup.apply(s)), errors);
            }
        }
    }

    private static Function<String, CollectionDef> lookup(Map<String, CollectionDef> planned, List<CollectionDef> kept) {
        return key -> {
            for (CollectionDef d : planned.values()) if (d.id().equals(key) || d.name().equals(key)) return d;
            for (CollectionDef d : kept) if (d.id().equals(key) || d.name().equals(key)) return d;
            return null;
        };
    }

    private static CollectionDef stub(Item it) {
        String name = it.body().get("name") instanceof String s ? s : "";
        return CollectionDef.builder(it.id(), name, dev.nanodb.store.CollectionType.BASE).build();
    }

    private Optional<CollectionDef> find(String key) {
        Optional<CollectionDef> byId = stored.stream().filter(d -> d.id().equals(key)).findFirst();
        return byId.isPresent() ? byId : stored.stream().filter(d -> d.name().equals(key)).findFirst();
    }

    private void failIfAny() {
        if (errors.isEmpty()) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("collections", ApiException.fieldError("validation_collections_import_failure",
                "Data validations failed; see the keys collections.<index>.<key>."));
        data.putAll(errors);
        throw new ApiException(400, "Failed to import collections.", data);
    }
}
