package dev.nanodb.store;

import java.util.List;

/**
 * One declared field of a collection. Options that do not apply to a type are null. Build one with
 * {@link #builder} (or {@link #of} for a field without options); {@link #toBuilder} changes a copy.
 *
 * <p>Invariants: {@code name} matches {@code [A-Za-z_][A-Za-z0-9_]*}; a {@code unique} field is also indexed;
 * a {@code PASSWORD} field is hidden; a {@code RELATION} field has its {@link Relation} options and a single
 * relation is indexed (deletes and back-relations look records up by it). The canonical constructor normalises
 * these so no caller has to remember them.
 *
 * @param min       minimum length (text) or value (number); null = none
 * @param max       maximum length (text) or value (number); null = none
 * @param values    allowed values of a {@code select} field
 * @param maxSelect how many values a {@code select} or {@code relation} field may hold (1 = a single value)
 * @param relation  the options of a relation field; null for every other type
 * @param files     the options of a file field; null for every other type
 */
public record FieldDef(String name, FieldType type, boolean required, boolean unique, boolean indexed, boolean hidden,
                       Object defaultValue, Double min, Double max, String pattern, List<String> values,
                       Integer maxSelect, Relation relation, Files files) {

    /**
     * What a relation field points at and how a delete of a target treats it (PocketBase's options).
     *
     * @param collectionId  the id of the target collection (stable across renames)
     * @param minSelect     the fewest ids a non-empty value holds (0 = no minimum)
     * @param cascadeDelete deleting a target deletes the records that reference it through this field
     */
    public record Relation(String collectionId, int minSelect, boolean cascadeDelete) {}

    /**
     * A file field's options (PocketBase's). The value of a file field is the stored name of each file.
     *
     * @param maxSize    the largest file in bytes; 0 means PocketBase's default, {@link #DEFAULT_MAX_SIZE}
     * @param mimeTypes  the types a file may have, judged on its bytes; empty = any
     * @param thumbs     the thumbnail sizes that may be asked for ({@code 100x100}, {@code 0x300}, {@code 100x300f} …)
     * @param protect    files are served only with a file token of a caller who may view the record
     */
    public record Files(long maxSize, List<String> mimeTypes, List<String> thumbs, boolean protect) {
        public static final long DEFAULT_MAX_SIZE = 5L << 20;
        public static final Files DEFAULT = new Files(0, List.of(), List.of(), false);

        public Files {
            mimeTypes = mimeTypes == null ? List.of() : List.copyOf(mimeTypes);
            thumbs = thumbs == null ? List.of() : List.copyOf(thumbs);
        }

        /** The largest file in bytes, the default applied. */
        public long effectiveMaxSize() {
            return maxSize > 0 ? maxSize : DEFAULT_MAX_SIZE;
        }
    }

    public FieldDef {
        values = values == null ? null : List.copyOf(values);
        if (type == FieldType.RELATION && relation == null) relation = new Relation(null, 0, false);
        if (type != FieldType.RELATION) relation = null;
        if (type == FieldType.FILE && files == null) files = Files.DEFAULT;
        if (type != FieldType.FILE) files = null;
        indexed = indexed || unique || type == FieldType.RELATION && (maxSelect == null || maxSelect <= 1);
        hidden = hidden || type == FieldType.PASSWORD;
    }

    public static FieldDef of(String name, FieldType type) {
        return builder(name, type).build();
    }

    public static Builder builder(String name, FieldType type) {
        return new Builder(name, type);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, type);
        b.required = required;
        b.unique = unique;
        b.indexed = indexed;
        b.hidden = hidden;
        b.defaultValue = defaultValue;
        b.min = min;
        b.max = max;
        b.pattern = pattern;
        b.values = values;
        b.maxSelect = maxSelect;
        b.relation = relation;
        b.files = files;
        return b;
    }

    public FieldDef withRequired(boolean v) {
        return toBuilder().required(v).build();
    }

    public FieldDef withIndexed(boolean v) {
        return toBuilder().indexed(v).build();
    }

    public FieldDef withUnique(boolean v) {
        return toBuilder().unique(v).build();
    }

    public FieldDef withHidden(boolean v) {
        return toBuilder().hidden(v).build();
    }

    /** True when the field holds a list of values (multi-select, multi-relation, several files). */
    public boolean multiple() {
        return maxSelect != null && maxSelect > 1;
    }

    /** The target collection's id of a relation field; null for other types. */
    public String target() {
        return relation == null ? null : relation.collectionId();
    }

    /** Named options, so that a definition reads as what it says rather than as thirteen positions. */
    public static final class Builder {
        private final String name;
        private final FieldType type;
        private boolean required;
        private boolean unique;
        private boolean indexed;
        private boolean hidden;
        private Object defaultValue;
        private Double min;
        private Double max;
        private String pattern;
        private List<String> values;
        private Integer maxSelect;
        private Relation relation;
        private Files files;

        private Builder(String name, FieldType type) {
            this.name = name;
            this.type = type;
        }

        public Builder required(boolean v) {
            required = v;
            return this;
        }

        public Builder unique(boolean v) {
            unique = v;
            return this;
        }

        public Builder indexed(boolean v) {
            indexed = v;
            return this;
        }

        public Builder hidden(boolean v) {
            hidden = v;
            return this;
        }

        public Builder defaultValue(Object v) {
            defaultValue = v;
            return this;
        }

        public Builder min(Double v) {
            min = v;
            return this;
        }

        public Builder max(Double v) {
            max = v;
            return this;
        }

        public Builder pattern(String v) {
            pattern = v;
            return this;
        }

        public Builder values(List<String> v) {
            values = v;
            return this;
        }

        public Builder maxSelect(Integer v) {
            maxSelect = v;
            return this;
        }

        public Builder relation(Relation v) {
            relation = v;
            return this;
        }

        public Builder files(Files v) {
            files = v;
            return this;
        }

        public FieldDef build() {
            return new FieldDef(name, type, required, unique, indexed, hidden, defaultValue, min, max, pattern, values,
                    maxSelect, relation, files);
        }
    }
}
