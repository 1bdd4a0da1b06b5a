package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.FilterSyntaxException;
import dev.nanodb.filter.Filters;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Names;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.AuthOptionsCodec;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a collection in PocketBase's JSON shape into a validated {@link CollectionDef}, or a 400 whose
 * {@code data} names each bad key ({@code name}, {@code fields.2.values}, {@code listRule}, …).
 *
 * <p>Names follow {@link Names} so that no name can reach a file path or a query unescaped. Only scalar fields may be indexed: an index orders single values, and a list or a
 * JSON document has no single value to order by.
 */
final class CollectionValidator {
    private static final Set<String> KNOWN_KEYS = knownKeys();
    private static final String[] RULES = {"listRule", "viewRule", "createRule", "updateRule", "deleteRule"};
    /**
     * PocketBase's view collections are SQL views over its SQLite tables; NanoDB has no SQL to run one (LMDB), so a
     * {@code view} type is refused with a message that says so rather than the generic unknown-type one.
     */
    static final Map<String, String> VIEW_UNSUPPORTED = ApiException.fieldError("validation_view_unsupported",
            "View collections (PocketBase's SQL views) are not supported by NanoDB; use a base collection with a list"
                    + " rule or filter instead.");

    private CollectionValidator() {}

    /**
     * A collection's own keys and the auth options' keys ({@link AuthOptionsCodec#KEYS}); a base collection accepts
     * and ignores the latter, as PocketBase does.
     */
    private static Set<String> knownKeys() {
        Set<String> keys = new HashSet<>(Set.of("id", "name", "type", "system", "schemaless", "fields",
                "listRule", "viewRule", "createRule", "updateRule", "deleteRule", "created", "updated", "indexes"));
        keys.addAll(AuthOptionsCodec.KEYS);
        return Set.copyOf(keys);
    }

    /**
     * @param body     the request body
     * @param existing the stored collection for an update (absent keys keep their value), null for a create
     * @param others   finds another stored collection by id or name (relation targets); null when none
     */
    static CollectionDef validate(Map<String, Object> body, CollectionDef existing, String now,
                                  java.util.function.Function<String, CollectionDef> others) {
        return validate(body, existing, null, now, others);
    }

    /** As above; a new collection gets {@code newId} (an import keeps the id it was given), or a fresh one when null. */
    static CollectionDef validate(Map<String, Object> body, CollectionDef existing, String newId, String now,
                                  java.util.function.Function<String, CollectionDef> others) {
        Map<String, Object> errors = new LinkedHashMap<>();
        for (String k : body.keySet()) {
            if (!KNOWN_KEYS.contains(k)) errors.put(k, ApiException.fieldError("validation_unknown_field", "Unknown key."));
        }
        String name = pick(body, "name", existing == null ? null : existing.name(), String.class, errors);
        if (!Names.valid(name)) {
            errors.put("name", ApiException.fieldError("validation_invalid_name",
                    "Required; letters, digits and _ only, starting with a letter or _, at most 64."));
        }
        String typeName = pick(body, "type", existing == null ? "base" : existing.type().wireName(), String.class, errors);
        CollectionType type = CollectionType.fromWire(typeName);
        if (type == null) errors.put("type", "view".equals(typeName) ? VIEW_UNSUPPORTED
                : ApiException.fieldError("validation_invalid_type", "Must be base or auth."));
        if (existing != null && type != null && type != existing.type()) {
            errors.put("type", ApiException.fieldError("validation_type_change", "The type of a collection cannot change."));
        }
        List<FieldDef> fields = existing == null ? List.of() : existing.fields();
        if (body.containsKey("fields")) fields = fields(body.get("fields"), type, errors);
        String id = existing != null ? existing.id() : newId != null ? newId : "pbc_" + Ids.newId().substring(5);
        fields = resolveTargets(fields, id, name, existing, others, errors);
        if (existing != null) checkTypesKept(existing, fields, errors);
        if (type == CollectionType.AUTH) fields = AuthFields.apply(fields, errors);
        Set<String> onNames = new java.util.LinkedHashSet<>();
        if (name != null) onNames.add(name);
        if (existing != null) onNames.add(existing.name());
        IndexDeclarations.Result indexes = IndexDeclarations.apply(body, existing, onNames, type == CollectionType.AUTH,
                fields, errors);
        fields = indexes.fields();
        Boolean schemaless = pick(body, "schemaless", existing != null && existing.schemaless(), Boolean.class, errors);
        String[] rules = new String[RULES.length];
        CollectionDef draft = CollectionDef.builder(id, name == null ? "" : name, type == null ? CollectionType.BASE : type)
                .schemaless(Boolean.TRUE.equals(schemaless)).fields(fields).build();
        java.util.function.Function<String, java.util.Optional<CollectionDef>> lookup = s ->
                s.equals(id) || s.equals(name) ? java.util.Optional.of(draft) : java.util.Optional.ofNullable(others.apply(s));
        for (int i = 0; i < RULES.length; i++) {
            String current = existing == null ? null : ruleOf(existing.rules(), i);
            rules[i] = body.containsKey(RULES[i]) ? body.get(RULES[i]) instanceof String s ? s : null : current;
            if (body.containsKey(RULES[i]) && body.get(RULES[i]) != null && !(body.get(RULES[i]) instanceof String)) {
                errors.put(RULES[i], ApiException.fieldError("validation_invalid_rule", "Must be a string or null."));
            } else {
                checkRule(rules[i], RULES[i], draft, lookup, errors);
            }
        }
        AuthOptions options = type != CollectionType.AUTH ? null
                : AuthOptionsParser.parse(body, existing == null ? null : existing.authOptions(), draft, lookup, errors);
        if (!errors.isEmpty()) throw new ApiException(400, "Failed to validate the collection.", errors);
        return CollectionDef.builder(id, name, type).schemaless(Boolean.TRUE.equals(schemaless)).authOptions(options)
                .system(existing != null && existing.system()).fields(fields).indexes(indexes.indexes())
                .rules(new CollectionDef.Rules(rules[0], rules[1], rules[2], rules[3], rules[4]))
                .created(existing != null ? existing.created() : now).updated(now).build();
    }

    /**
     * Each relation's target as a collection id: given as an id or a name of a stored collection, or of this
     * collection itself (a self-relation, possible before the collection exists). An existing relation field keeps
     * its target: the ids it stores belong to that collection.
     */
    private static List<FieldDef> resolveTargets(List<FieldDef> fields, String id, String name, CollectionDef existing,
                                                 java.util.function.Function<String, CollectionDef> others,
                                                 Map<String, Object> errors) {
        List<FieldDef> out = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            FieldDef f = fields.get(i);
            if (f.relation() == null || f.target() == null) {
                out.add(f);
                continue;
            }
            String given = f.target();
            CollectionDef target = others.apply(given);
            String targetId = given.equals(id) || given.equals(name) ? id : target == null ? null : target.id();
            if (targetId == null) {
                errors.put("fields." + i + ".collectionId", ApiException.fieldError("validation_missing_collection",
                        "No collection has the id or name " + given + "."));
                out.add(f);
                continue;
            }
            FieldDef old = existing == null ? null : existing.field(f.name()).orElse(null);
            if (old != null && old.relation() != null && !targetId.equals(old.target())) {
                errors.put("fields." + i + ".collectionId", ApiException.fieldError("validation_target_change",
                        "The target of an existing relation cannot change; remove the field and add it again."));
            }
            FieldDef.Relation r = f.relation();
            out.add(f.toBuilder().relation(new FieldDef.Relation(targetId, r.minSelect(), r.cascadeDelete())).build());
        }
        return out;
    }

    /** A field keeps its type: stored values of the old type would not validate under the new one. */
    private static void checkTypesKept(CollectionDef existing, List<FieldDef> fields, Map<String, Object> errors) {
        for (int i = 0; i < fields.size(); i++) {
            FieldDef f = fields.get(i);
            FieldDef old = existing.field(f.name()).orElse(null);
            if (old != null && old.type() != f.type()) {
                errors.put("fields." + i + ".type", ApiException.fieldError("validation_type_change",
                        "The type of an existing field cannot change; remove the field and add it again."));
            }
        }
    }

    private static String ruleOf(CollectionDef.Rules r, int i) {
        return switch (i) {
            case 0 -> r.listRule();
            case 1 -> r.viewRule();
            case 2 -> r.createRule();
            case 3 -> r.updateRule();
            default -> r.deleteRule();
        };
    }

    private static <T> T pick(Map<String, Object> body, String key, T fallback, Class<T> type, Map<String, Object> errors) {
        if (!body.containsKey(key)) return fallback;
        Object v = body.get(key);
        if (v != null && !type.isInstance(v)) {
            errors.put(key, ApiException.fieldError("validation_invalid_type", "Must be a " + type.getSimpleName().toLowerCase() + "."));
            return fallback;
        }
        return type.cast(v);
    }

    /** A rule must parse and name only known fields and references (see {@link RuleChecker}). */
    static void checkRule(String rule, String key, CollectionDef self,
                                  java.util.function.Function<String, java.util.Optional<CollectionDef>> lookup,
                                  Map<String, Object> errors) {
        if (rule == null) return;
        try {
            Expr e = Filters.parse(rule);
            String problem = e == null ? null : RuleChecker.problem(e, self, lookup);
            if (problem != null) errors.put(key, ApiException.fieldError("validation_invalid_rule", problem));
        } catch (FilterSyntaxException e) {
            errors.put(key, ApiException.fieldError("validation_invalid_rule", e.getMessage()));
        }
    }

    private static List<FieldDef> fields(Object raw, CollectionType type, Map<String, Object> errors) {
        List<FieldDef> out = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            errors.put("fields", ApiException.fieldError("validation_invalid_fields", "Must be a list of fields."));
            return out;
        }
        if (list.size() > RecordValidator.MAX_FIELDS) {
            errors.put("fields", ApiException.fieldError("validation_too_many_fields",
                    "At most " + RecordValidator.MAX_FIELDS + " fields."));
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "fields." + i;
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                errors.put(at, ApiException.fieldError("validation_invalid_field", "Must be an object."));
                continue;
            }
            // PocketBase lists the fields NanoDB keeps itself in a definition; a scaffold or an export sends them back
            if (ImplicitFields.names(m, type)) {
                ImplicitFields.check(m, at, errors);
                continue;
            }
            FieldDef f = FieldParser.parse(m, at, errors);
            if (f == null) continue;
            if (!seen.add(f.name())) {
                errors.put(at + ".name", ApiException.fieldError("validation_duplicate_name", "Field names must be unique."));
            }
            out.add(f);
        }
        return out;
    }

    /** Checks a field's regular expression compiles; used by {@link FieldParser}. */
    static String checkPattern(Object p, String at, Map<String, Object> errors) {
        if (p == null) return null;
        if (!(p instanceof String s)) {
            errors.put(at + ".pattern", ApiException.fieldError("validation_invalid_pattern", "Must be a string."));
            return null;
        }
        try {
            Pattern.compile(s);
            return s;
        } catch (PatternSyntaxException e) {
            errors.put(at + ".pattern", ApiException.fieldError("validation_invalid_pattern", "Not a valid regular expression."));
            return null;
        }
    }

    static boolean isScalar(FieldDef f) {
        return f.type() != FieldType.JSON && f.type() != FieldType.GEO_POINT && !f.multiple();
    }
}
