package dev.nanodb.store;

import java.util.List;

/**
 * One declared field of a collection. Options that do not apply to a type are null. Build one with
 * {@link #builder} (or {@link #of} for a field without options); {@link #toBuilder} changes a copy.
 *
 * <p>Invariants: {@code name} matches {@code [A-Za-z_][A-Za-z0-9_]*}; a {@code unique} field is also indexed;
 * a {@code PASSWORD} field is hidden; a {@code RELATION} field has its {@link Relation} options and a single
 * relation is indexed (deletes and back-relations look records up by it); an {@code EDITOR} field has its
 * {@link Editor} options and an {@code AUTODATE} field its {@link Autodate} ones; {@code onlyInt} is set only on a
 * number, {@code autogeneratePattern} only on a text field and {@code cost} only on a password field. The canonical
 * constructor normalises these so no caller has to remember them.
 *
 * @param min       minimum length (text) or value (number); null = none
 * @param max       maximum length (text) or value (number); null = none
 * @param values    allowed values of a {@code select} field
 * @param maxSelect how many values a {@code select} or {@code relation} field may hold (1 = a single value)
 * @param relation  the options of a relation field; null for every other type
 * @param files     the options of a file field; null for every other type
 * @param onlyInt   a number field takes whole numbers only
 * @param autogeneratePattern a text field left empty on create is given a random value matching this regular
 *                  expression (PocketBase's); null = none
 * @param cost      a password field's bcrypt cost; 0 = the server's
 * @param editor    the options of an editor field; null for every other type
 * @param autodate  the options of an autodate field; null for every other type
 */
public record FieldDef(String name, FieldType type, boolean required, boolean unique, boolean indexed, boolean hidden,
                       Object defaultValue, Double min, Double max, String pattern, List<String> values,
                       Integer maxSelect, Relation relation, Files files, boolean onlyInt, String autogeneratePattern,
                       int cost, Editor editor, Autodate autodate) {

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

    /**
     * An editor field's options (PocketBase's): {@code maxSize} bytes of UTF-8 at most (0 = {@link #DEFAULT_MAX_SIZE});
     * {@code convertURLs} is the dashboard editor's choice of link form, kept and shown, with no effect on the server.
     */
    public record Editor(long maxSize, boolean convertURLs) {
        public static final long DEFAULT_MAX_SIZE = 5L << 20;
        public static final Editor DEFAULT = new Editor(0, false);

        /** The largest value in bytes, the default applied. */
        public long effectiveMaxSize() {
            return maxSize > 0 ? maxSize : DEFAULT_MAX_SIZE;
        }
    }

    /**
     * When the server stamps an autodate field: on create, on every update, or both (at least one; PocketBase's).
     * The stamp is the record's own {@code created} / {@code updated} instant.
     */
    public record Autodate(boolean onCreate, boolean onUpdate) {
        public static final Autodate ON_CREATE = new Autodate(true, false);
    }

    public FieldDef {
        values = values == null ? null : List.copyOf(values);
        if (type == FieldType.EDITOR && editor == null) editor = Editor.DEFAULT;
        if (type != FieldType.EDITOR) editor = null;
        if (type == FieldType.AUTODATE && autodate == null) autodate = Autodate.ON_CREATE;
        if (type != FieldType.AUTODATE) autodate = null;
        if (type != FieldType.NUMBER) onlyInt = false;
        if (type != FieldType.TEXT || "".equals(autogeneratePattern)) autogeneratePattern = null;
        if (type != FieldType.PASSWORD) cost = 0;
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
        b.onlyInt = onlyInt;
        b.autogeneratePattern = autogeneratePattern;
        b.cost = cost;
        b.editor = editor;
        b.autodate = autodate;
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

    /** Named options, so that a definition reads as what it says rather than as nineteen positions. */
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
        private boolean onlyInt;
        private String autogeneratePattern;
        private int cost;
        private Editor editor;
        private Autodate autodate;

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

        public Builder onlyInt(boolean v) {
            onlyInt = v;
            return this;
        }

        public Builder autogeneratePattern(String v) {
            autogeneratePattern = v;
            return this;
        }

        public Builder cost(int v) {
            cost = v;
            return this;
        }

        public Builder editor(Editor v) {
            editor = v;
            return this;
        }

        public Builder autodate(Autodate v) {
            autodate = v;
            return this;
        }

        public FieldDef build() {
            return new FieldDef(name, type, required, unique, indexed, hidden, defaultValue, min, max, pattern, values,
                    maxSelect, relation, files, onlyInt, autogeneratePattern, cost, editor, autodate);
        }
    }
}
