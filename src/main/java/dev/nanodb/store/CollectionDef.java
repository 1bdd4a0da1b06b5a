package dev.nanodb.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A collection's definition as stored. Rules are filter expressions; a null rule means "superusers only" and an
 * empty rule means "everyone" (PocketBase semantics).
 *
 * <p>A {@code schemaless} collection accepts any field name in a record (seed behaviour for auto-created
 * collections); declared fields are still validated. A collection with a schema refuses unknown fields.
 *
 * @param id stable identifier (survives a rename); records and indexes are keyed by it, never by the name
 */
public record CollectionDef(String id, String name, CollectionType type, boolean schemaless, boolean system,
                            List<FieldDef> fields, Rules rules, String created, String updated) {

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

    public CollectionDef withFields(List<FieldDef> newFields, String updatedAt) {
        return new CollectionDef(id, name, type, schemaless, system, newFields, rules, created, updatedAt);
    }

    public CollectionDef withName(String newName, String updatedAt) {
        return new CollectionDef(id, newName, type, schemaless, system, fields, rules, created, updatedAt);
    }

}
