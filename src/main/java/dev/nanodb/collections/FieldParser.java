package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.ThumbSize;
import dev.nanodb.schema.Names;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one field definition of PocketBase's shape, reporting problems under {@code fields.N.key}. PocketBase's
 * {@code id}, {@code system}, {@code presentable} and {@code help} are accepted and not kept (they are about its
 * dashboard and its field ids); {@code primaryKey} is true only for the id field ({@link ImplicitFields}).
 */
final class FieldParser {
    static final Set<String> KNOWN = Set.of("id", "name", "type", "required", "unique", "indexed", "hidden",
            "default", "min", "max", "pattern", "values", "maxSelect", "minSelect", "collection", "collectionId",
            "cascadeDelete", "system", "presentable", "help", "maxSize", "mimeTypes", "thumbs", "protected", "onlyInt",
            "autogeneratePattern", "primaryKey", "cost", "convertURLs", "onCreate", "onUpdate");
    private static final java.util.regex.Pattern MIME = java.util.regex.Pattern.compile("[a-z0-9.+-]+/[a-z0-9.+*-]+");

    private FieldParser() {}

    static FieldDef parse(Map<?, ?> raw, String at, Map<String, Object> errors) {
        int before = errors.size();
        Map<?, ?> m = TypeOptions.withoutUnsetOptions(raw, at, errors);
        for (Object k : m.keySet()) {
            if (!KNOWN.contains(String.valueOf(k))) {
                errors.put(at + "." + k, ApiException.fieldError("validation_unknown_field", "Unknown field option."));
            }
        }
        Object name = m.get("name");
        if (!(name instanceof String n) || !Names.valid(n)) {
            errors.put(at + ".name", ApiException.fieldError("validation_invalid_name",
                    "Required; letters, digits and _ only, starting with a letter or _, at most 64."));
            return null;
        }
        if (CollectionDef.SYSTEM_FIELDS.contains(n)) {
            errors.put(at + ".name", ApiException.fieldError("validation_reserved_name", "This name is reserved for a system field."));
        }
        FieldType type = m.get("type") instanceof String t ? FieldType.fromWire(t) : null;
        if (type == null) {
            errors.put(at + ".type", ApiException.fieldError("validation_invalid_type", "Must be one of text, number, bool,"
                    + " email, url, date, autodate, select, json, relation, file, geoPoint, editor, password."));
            return null;
        }
        if (Boolean.TRUE.equals(m.get("primaryKey"))) {
            errors.put(at + ".primaryKey", ApiException.fieldError("validation_invalid_primary_key",
                    "Only the id field is the primary key (NanoDB's own, 15 characters of a-z and 0-9)."));
        }
        Double min = number(m.get("min"), at + ".min", errors);
        Double max = number(m.get("max"), at + ".max", errors);
        if (min != null && max != null && min > max) {
            errors.put(at + ".max", ApiException.fieldError("validation_invalid_range", "max must be at least min."));
        }
        List<String> values = values(m.get("values"), at, errors);
        if (type == FieldType.SELECT && (values == null || values.isEmpty())) {
            errors.put(at + ".values", ApiException.fieldError("validation_required", "A select field needs its values."));
        }
        Integer maxSelect = null;
        if (m.get("maxSelect") != null) {
            Double ms = number(m.get("maxSelect"), at + ".maxSelect", errors);
            if (ms != null && (ms < 1 || ms != Math.rint(ms))) {
                errors.put(at + ".maxSelect", ApiException.fieldError("validation_invalid_number", "Must be a whole number of at least 1."));
            } else if (ms != null) {
                maxSelect = ms.intValue();
            }
        }
        FieldDef.Relation relation = type == FieldType.RELATION ? relation(m, at, maxSelect, errors) : null;
        FieldDef.Files files = type == FieldType.FILE ? files(m, at, errors) : null;
        if (type == FieldType.FILE && m.get("default") != null) {
            errors.put(at + ".default", ApiException.fieldError("validation_invalid_default", "A file field has no default."));
        }
        FieldDef.Builder b = FieldDef.builder(n, type).required(flag(m, "required", at, errors))
                .unique(flag(m, "unique", at, errors)).indexed(flag(m, "indexed", at, errors))
                .hidden(flag(m, "hidden", at, errors)).defaultValue(m.get("default")).min(min).max(max)
                .pattern(CollectionValidator.checkPattern(m.get("pattern"), at, errors)).values(values)
                .maxSelect(maxSelect).relation(relation).files(files);
        TypeOptions.read(m, type, b, at, errors);
        FieldDef f = b.build();
        if (errors.size() == before) TypeOptions.check(f, m, at, errors);
        if (f.indexed() && !CollectionValidator.isScalar(f)) {
            errors.put(at + ".indexed", ApiException.fieldError("validation_not_indexable",
                    "Only single-valued fields can be indexed (not json or multi-value fields)."));
        }
        if (f.defaultValue() != null && errors.size() == before) {
            try {
                RecordValidator.validate(CollectionDef.builder("x", "x", dev.nanodb.store.CollectionType.BASE)
                        .fields(List.of(f.withRequired(false))).build(), Map.of(n, f.defaultValue()), false);
            } catch (ApiException e) {
                errors.put(at + ".default", ApiException.fieldError("validation_invalid_default", "The default is not a valid value."));
            }
        }
        return f;
    }

    /**
     * A relation's options as given; the target ({@code collectionId}, or a collection name, also under
     * {@code collection}) is resolved to an id by {@link CollectionValidator}, which knows the other collections.
     */
    private static FieldDef.Relation relation(Map<?, ?> m, String at, Integer maxSelect, Map<String, Object> errors) {
        Object raw = m.get("collectionId") != null ? m.get("collectionId") : m.get("collection");
        String target = raw instanceof String s && !s.isEmpty() ? s : null;
        if (target == null) {
            errors.put(at + ".collectionId", ApiException.fieldError("validation_required",
                    "A relation field needs its target collection (collectionId)."));
        }
        int minSelect = 0;
        Double ms = number(m.get("minSelect"), at + ".minSelect", errors);
        if (ms != null && (ms < 0 || ms != Math.rint(ms))) {
            errors.put(at + ".minSelect", ApiException.fieldError("validation_invalid_number", "Must be a whole number of at least 0."));
        } else if (ms != null) {
            minSelect = ms.intValue();
        }
        if (minSelect > (maxSelect == null ? 1 : maxSelect)) {
            errors.put(at + ".minSelect", ApiException.fieldError("validation_invalid_range", "minSelect must be at most maxSelect."));
        }
        return new FieldDef.Relation(target, minSelect, flag(m, "cascadeDelete", at, errors));
    }

    /** A file field's options: {@code maxSize} (bytes, 0 = the default), {@code mimeTypes}, {@code thumbs}, {@code protected}. */
    private static FieldDef.Files files(Map<?, ?> m, String at, Map<String, Object> errors) {
        long maxSize = TypeOptions.maxSize(m.get("maxSize"), at, errors);
        List<String> mimeTypes = patterned(m.get("mimeTypes"), MIME, at + ".mimeTypes", "Must be a list of types such as image/png.", errors);
        List<String> thumbs = patterned(m.get("thumbs"), ThumbSize.TEXT, at + ".thumbs", "Must be a list of sizes such as 100x100, 0x300 or 100x300f.", errors);
        for (String t : thumbs == null ? List.<String>of() : thumbs) {
            if (ThumbSize.parse(t).isEmpty()) {
                errors.put(at + ".thumbs", ApiException.fieldError("validation_invalid_thumb",
                        t + " is not a size: 0x0, or a side above " + ThumbSize.MAX_SIDE + " pixels."));
            }
        }
        return new FieldDef.Files(maxSize, mimeTypes, thumbs, flag(m, "protected", at, errors));
    }

    private static List<String> patterned(Object v, java.util.regex.Pattern p, String key, String message, Map<String, Object> errors) {
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String s) || !p.matcher(s).matches()) {
                    errors.put(key, ApiException.fieldError("validation_invalid_value", message));
                    return null;
                }
                if (!out.contains(s)) out.add(s);
            }
            return out;
        }
        errors.put(key, ApiException.fieldError("validation_invalid_value", message));
        return null;
    }

    static boolean flag(Map<?, ?> m, String key, String at, Map<String, Object> errors) {
        Object v = m.get(key);
        if (v == null) return false;
        if (!(v instanceof Boolean b)) {
            errors.put(at + "." + key, ApiException.fieldError("validation_invalid_bool", "Must be true or false."));
            return false;
        }
        return b;
    }

    static Double number(Object v, String key, Map<String, Object> errors) {
        if (v == null) return null;
        if (!(v instanceof Number n)) {
            errors.put(key, ApiException.fieldError("validation_invalid_number", "Must be a number."));
            return null;
        }
        return n.doubleValue();
    }

    private static List<String> values(Object v, String at, Map<String, Object> errors) {
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s && !s.isEmpty()) out.add(s);
                else {
                    errors.put(at + ".values", ApiException.fieldError("validation_invalid_values", "Must be a list of non-empty strings."));
                    return null;
                }
            }
            return out;
        }
        errors.put(at + ".values", ApiException.fieldError("validation_invalid_values", "Must be a list of strings."));
        return null;
    }
}
