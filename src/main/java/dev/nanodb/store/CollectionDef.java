package dev.nanodb.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A collection's definition as stored. Rules are filter expressions; a null rule means "superusers only" and an
 * empty rule means "everyone" (PocketBase semantics). Build one with {@link #builder}; change a copy with
 * {@link #toBuilder}.
 *
 * <p>A {@code schemaless} collection accepts any field name in a record (seed behaviour for auto-created
 * collections); declared fields are still validated. A collection with a schema refuses unknown fields.
 *
 * @param id            stable identifier (survives a rename); records and indexes are keyed by it, never by the name
 * @param countedFields fields whose record count per value a backend keeps (derived from the list rule by the
 *                      collections capability, which owns that interpretation; a backend only stores the counts)
 * @param authOptions   an auth collection's options, never null for one ({@link AuthOptions#defaults()} when not
 *                      given); always null for any other type
 * @param indexes       the indexes declared in PocketBase's form, never null ({@link IndexDef})
 */
public record CollectionDef(String id, String name, CollectionType type, boolean schemaless, boolean system,
                            List<FieldDef> fields, Rules rules, String created, String updated,
                            List<String> countedFields, AuthOptions authOptions, List<IndexDef> indexes) {

    /** The five access rules; each is an expression string, "" (everyone) or null (superusers only). */
    public record Rules(String listRule, String viewRule, String createRule, String updateRule, String deleteRule) {
        public static final Rules SUPERUSERS_ONLY = new Rules(null, null, null, null, null);
    }

    /** Names no user field may take: they are system fields of every record. */
    public static final List<String> SYSTEM_FIELDS =
            List.of("id", "created", "updated", "_version", "collectionId", "collectionName", "expand");

    public CollectionDef {
        fields = List.copyOf(fields);
        if (rules == null) rules = Rules.SUPERUSERS_ONLY;
        countedFields = countedFields == null ? List.of() : List.copyOf(countedFields);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
        if (type != CollectionType.AUTH) authOptions = null;
        else if (authOptions == null) authOptions = AuthOptions.defaults();
    }

    /** A definition with the default options of its type. */
    public CollectionDef(String id, String name, CollectionType type, boolean schemaless, boolean system,
                         List<FieldDef> fields, Rules rules, String created, String updated, List<String> countedFields) {
        this(id, name, type, schemaless, system, fields, rules, created, updated, countedFields, null, null);
    }

    public static Builder builder(String id, String name, CollectionType type) {
        return new Builder(id, name, type);
    }

    public Builder toBuilder() {
        return new Builder(id, name, type).schemaless(schemaless).system(system).fields(fields).rules(rules)
                .created(created).updated(updated).countedFields(countedFields).authOptions(authOptions).indexes(indexes);
    }

    public Optional<FieldDef> field(String fieldName) {
        for (FieldDef f : fields) {
            if (f.name().equals(fieldName)) return Optional.of(f);
        }
        return Optional.empty();
    }

    public boolean isAuth() {
        return type == CollectionType.AUTH;
    }

    /** Fields with a secondary index, in declaration order. */
    public List<FieldDef> indexedFields() {
        List<FieldDef> out = new ArrayList<>();
        for (FieldDef f : fields) {
            if (f.indexed()) out.add(f);
        }
        return out;
    }

    /**
     * The indexes a backend builds besides each field's own: every composite one, and {@code updated} alone (the
     * only single column no field flag and no system index covers). A single-column index on {@code created} is
     * the system index every collection has.
     */
    public List<IndexDef> backendIndexes() {
        List<IndexDef> out = new ArrayList<>();
        for (IndexDef ix : indexes) {
            if (ix.composite() || ix.fields().equals(List.of("updated"))) out.add(ix);
        }
        return out;
    }

    /** Relation fields, in declaration order. */
    public List<FieldDef> relationFields() {
        List<FieldDef> out = new ArrayList<>();
        for (FieldDef f : fields) {
            if (f.relation() != null) out.add(f);
        }
        return out;
    }

    public CollectionDef withFields(List<FieldDef> newFields, String updatedAt) {
        return toBuilder().fields(newFields).updated(updatedAt).build();
    }

    public CollectionDef withName(String newName, String updatedAt) {
        return toBuilder().name(newName).updated(updatedAt).build();
    }

    /** Named parts, so that a definition reads as what it says. */
    public static final class Builder {
        private final String id;
        private String name;
        private final CollectionType type;
        private boolean schemaless;
        private boolean system;
        private List<FieldDef> fields = List.of();
        private Rules rules = Rules.SUPERUSERS_ONLY;
        private String created = "";
        private String updated = "";
        private List<String> countedFields = List.of();
        private AuthOptions authOptions;
        private List<IndexDef> indexes = List.of();

        private Builder(String id, String name, CollectionType type) {
            this.id = id;
            this.name = name;
            this.type = type;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder schemaless(boolean v) {
            schemaless = v;
            return this;
        }

        public Builder system(boolean v) {
            system = v;
            return this;
        }

        public Builder fields(List<FieldDef> v) {
            fields = v;
            return this;
        }

        public Builder rules(Rules v) {
            rules = v;
            return this;
        }

        public Builder created(String v) {
            created = v;
            return this;
        }

        public Builder updated(String v) {
            updated = v;
            return this;
        }

        /** Both stamps. */
        public Builder at(String v) {
            created = v;
            updated = v;
            return this;
        }

        public Builder countedFields(List<String> v) {
            countedFields = v;
            return this;
        }

        /** An auth collection's options; null = the defaults (ignored for other types). */
        public Builder authOptions(AuthOptions v) {
            authOptions = v;
            return this;
        }

        public Builder indexes(List<IndexDef> v) {
            indexes = v;
            return this;
        }

        public CollectionDef build() {
            return new CollectionDef(id, name, type, schemaless, system, fields, rules, created, updated, countedFields,
                    authOptions, indexes);
        }
    }
}
