package dev.nanodb.schema;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one field definition of PocketBase's shape, reporting problems under {@code fields.N.key}. */
final class FieldParser {
    private static final Set<String> KNOWN = Set.of("id", "name", "type", "required", "unique", "indexed", "hidden",
            "default", "min", "max", "pattern", "values", "maxSelect", "collection", "collectionId", "system",
            "presentable");

    private FieldParser() {}

    static FieldDef parse(Map<?, ?> m, String at, Map<String, Object> errors) {
        int before = errors.size();
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
            errors.put(at + ".type", ApiException.fieldError("validation_invalid_type",
                    "Must be one of text, number, bool, email, url, date, select, json, relation."));
            return null;
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
        String target = m.get("collection") instanceof String s ? s : m.get("collectionId") instanceof String s2 ? s2 : null;
        FieldDef f = new FieldDef(n, type, flag(m, "required", at, errors), flag(m, "unique", at, errors),
                flag(m, "indexed", at, errors), flag(m, "hidden", at, errors), m.get("default"), min, max,
                CollectionValidator.checkPattern(m.get("pattern"), at, errors), values, maxSelect, target);
        if (f.indexed() && !CollectionValidator.isScalar(f)) {
            errors.put(at + ".indexed", ApiException.fieldError("validation_not_indexable",
                    "Only single-valued fields can be indexed (not json or multi-value fields)."));
        }
        if (f.defaultValue() != null && errors.size() == before) {
            try {
                RecordValidator.validate(new CollectionDef("x", "x", dev.nanodb.store.CollectionType.BASE, false, false,
                        List.of(f.withRequired(false)), null, "", ""), Map.of(n, f.defaultValue()), false);
            } catch (ApiException e) {
                errors.put(at + ".default", ApiException.fieldError("validation_invalid_default", "The default is not a valid value."));
            }
        }
        return f;
    }

    private static boolean flag(Map<?, ?> m, String key, String at, Map<String, Object> errors) {
        Object v = m.get(key);
        if (v == null) return false;
        if (!(v instanceof Boolean b)) {
            errors.put(at + "." + key, ApiException.fieldError("validation_invalid_bool", "Must be true or false."));
            return false;
        }
        return b;
    }

    private static Double number(Object v, String key, Map<String, Object> errors) {
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
