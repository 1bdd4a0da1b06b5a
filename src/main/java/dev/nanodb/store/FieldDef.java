package dev.nanodb.store;

import java.util.List;

/**
 * One declared field of a collection. Options that do not apply to a type are null.
 *
 * <p>Invariants: {@code name} matches {@code [A-Za-z_][A-Za-z0-9_]*}; a {@code unique} field is also indexed;
 * a {@code PASSWORD} field is hidden. {@link #of} normalises these so no caller has to remember them.
 *
 * @param min       minimum length (text) or value (number); null = none
 * @param max       maximum length (text) or value (number); null = none
 * @param values    allowed values of a {@code select} field
 * @param maxSelect how many values a {@code select} or {@code relation} field may hold (1 = a single value)
 * @param target    for a relation: the name of the target collection
 */
public record FieldDef(String name, FieldType type, boolean required, boolean unique, boolean indexed, boolean hidden,
                       Object defaultValue, Double min, Double max, String pattern, List<String> values,
                       Integer maxSelect, String target) {

    public FieldDef {
        values = values == null ? null : List.copyOf(values);
        indexed = indexed || unique;
        hidden = hidden || type == FieldType.PASSWORD;
    }

    public static FieldDef of(String name, FieldType type) {
        return new FieldDef(name, type, false, false, false, false, null, null, null, null, null, null, null);
    }

    public FieldDef withRequired(boolean v) {
        return new FieldDef(name, type, v, unique, indexed, hidden, defaultValue, min, max, pattern, values, maxSelect, target);
    }

    public FieldDef withIndexed(boolean v) {
        return new FieldDef(name, type, required, unique, v, hidden, defaultValue, min, max, pattern, values, maxSelect, target);
    }

    public FieldDef withUnique(boolean v) {
        return new FieldDef(name, type, required, v, indexed, hidden, defaultValue, min, max, pattern, values, maxSelect, target);
    }

    public FieldDef withHidden(boolean v) {
        return new FieldDef(name, type, required, unique, indexed, v, defaultValue, min, max, pattern, values, maxSelect, target);
    }

    /** True when the field holds a list of values (multi-select or multi-relation). */
    public boolean multiple() {
        return maxSelect != null && maxSelect > 1;
    }
}
