package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.IndexDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A collection's {@code indexes} (PocketBase's SQL form, {@link IndexSql}) checked against its fields and folded
 * into the definition. An index of one user field is that field's {@code indexed} (and {@code unique}) flag — the
 * one index NanoDB already keeps per field — so the two forms never disagree; the declaration is still kept, by
 * name, for the answer. Composite indexes, and {@code updated} alone, are built by the backends as declared.
 *
 * <p>A definition changed without {@code indexes} keeps its declared indexes, minus those naming a field it no
 * longer has (as dropping a column drops its indexes). One changed with {@code indexes} but without {@code fields}
 * also clears the flags of a single-field index it no longer declares, so removing such an index removes it.
 */
final class IndexDeclarations {
    static final int MAX_INDEXES = 32;
    /** The auth fields a single-column index may name: both already unique or random, so the index changes nothing. */
    private static final Set<String> AUTH_ALREADY = Set.of(AuthFields.EMAIL, "tokenKey");

    private IndexDeclarations() {}

    /** The fields with single-field indexes folded in, and the declared indexes. */
    record Result(List<FieldDef> fields, List<IndexDef> indexes) {}

    /**
     * @param body       the request body (its {@code indexes} and whether it has {@code fields})
     * @param names      the names the {@code ON} clause may give: the collection's new name and, on an update, its old one
     */
    static Result apply(Map<String, Object> body, CollectionDef existing, Set<String> names, boolean auth,
                        List<FieldDef> fields, Map<String, Object> errors) {
        List<IndexDef> previous = existing == null ? List.of() : existing.indexes();
        if (!body.containsKey("indexes")) {
            List<IndexDef> kept = new ArrayList<>();
            for (int i = 0; i < previous.size(); i++) {
                IndexDef ix = previous.get(i);
                if (!ix.fields().stream().allMatch(f -> column(f, fields).isPresent())) continue;
                for (String f : ix.fields()) {
                    if (!CollectionValidator.isScalar(column(f, fields).orElseThrow())) {
                        errors.put("indexes." + i, ApiException.fieldError("validation_invalid_index", "The index "
                                + ix.name() + " names " + f + ", which would no longer hold a single value; remove the index first."));
                    }
                }
                kept.add(ix);
            }
            return new Result(fold(kept, fields, auth), kept);
        }
        if (!(body.get("indexes") instanceof List<?> raw) || raw.stream().anyMatch(o -> !(o instanceof String))) {
            errors.put("indexes", ApiException.fieldError("validation_invalid_indexes", "Must be a list of CREATE INDEX statements."));
            return new Result(fields, previous);
        }
        if (raw.size() > MAX_INDEXES) {
            errors.put("indexes", ApiException.fieldError("validation_too_many_indexes", "At most " + MAX_INDEXES + " indexes."));
            return new Result(fields, previous);
        }
        List<IndexDef> declared = new ArrayList<>();
        Set<String> seenNames = new HashSet<>();
        Set<List<String>> seenColumns = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String at = "indexes." + i;
            String problem;
            IndexDef ix = null;
            try {
                IndexSql.Parsed p = IndexSql.parse((String) raw.get(i));
                ix = p.index();
                problem = check(p, names, fields, auth);
                if (problem == null && !seenNames.add(ix.name().toLowerCase(java.util.Locale.ROOT))) {
                    problem = "Another index has the name " + ix.name() + ".";
                }
                if (problem == null && !seenColumns.add(ix.fields())) problem = "Another index has the same columns.";
            } catch (IndexSql.Invalid e) {
                problem = e.getMessage();
            }
            if (problem != null) {
                errors.put(at, ApiException.fieldError("validation_invalid_index", problem));
            } else {
                declared.add(ix);
            }
        }
        List<FieldDef> base = body.containsKey("fields") ? fields : unfold(previous, declared, fields, auth);
        return new Result(fold(declared, base, auth), declared);
    }

    /** Why an index cannot be kept, or null. */
    private static String check(IndexSql.Parsed p, Set<String> names, List<FieldDef> fields, boolean auth) {
        if (names.stream().noneMatch(n -> n.equalsIgnoreCase(p.table()))) {
            return "The index must be on this collection (ON " + String.join(" or ", names) + ").";
        }
        IndexDef ix = p.index();
        if (new HashSet<>(ix.fields()).size() != ix.fields().size()) return "A column appears twice.";
        for (String f : ix.fields()) {
            if (f.equals("id")) return "id is the record key and needs no index.";
            Optional<FieldDef> c = column(f, fields);
            if (c.isEmpty()) return "Unknown column " + f + ".";
            if (c.get().type() == FieldType.PASSWORD) return "A password field cannot be indexed.";
            if (!CollectionValidator.isScalar(c.get())) {
                return "Only single-valued fields can be indexed (not json, geoPoint or multi-value fields): " + f + ".";
            }
        }
        for (String f : p.nonEmpty()) {
            if (!ix.fields().contains(f)) return "The WHERE clause may only name the index's columns.";
        }
        if (!ix.composite()) {
            String f = ix.fields().get(0);
            if (ix.unique() && (f.equals("created") || f.equals("updated"))) return "created and updated cannot be unique.";
            boolean authField = auth && AuthFields.FIELDS.stream().anyMatch(a -> a.name().equals(f));
            if (authField && !AUTH_ALREADY.contains(f)) return "The auth field " + f + " cannot be indexed.";
        }
        return null;
    }

    /** A column's field: a declared one, or {@code created}/{@code updated} (dates every record has). */
    private static Optional<FieldDef> column(String name, List<FieldDef> fields) {
        if (name.equals("created") || name.equals("updated")) return Optional.of(FieldDef.of(name, FieldType.DATE));
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    private static List<FieldDef> fold(List<IndexDef> indexes, List<FieldDef> fields, boolean auth) {
        List<FieldDef> out = new ArrayList<>(fields);
        for (IndexDef ix : indexes) {
            if (ix.composite()) continue;
            String name = ix.fields().get(0);
            if (auth && AUTH_ALREADY.contains(name)) continue;
            for (int i = 0; i < out.size(); i++) {
                FieldDef f = out.get(i);
                if (!f.name().equals(name)) continue;
                out.set(i, f.toBuilder().indexed(true).unique(f.unique() || ix.unique()).build());
            }
        }
        return out;
    }

    /** The fields with the flags of single-field indexes no longer declared cleared. */
    private static List<FieldDef> unfold(List<IndexDef> previous, List<IndexDef> declared, List<FieldDef> fields,
                                         boolean auth) {
        List<FieldDef> out = new ArrayList<>(fields);
        for (IndexDef old : previous) {
            if (old.composite() || declared.stream().anyMatch(d -> d.fields().equals(old.fields()))) continue;
            if (auth && AUTH_ALREADY.contains(old.fields().get(0))) continue;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).name().equals(old.fields().get(0))) {
                    out.set(i, out.get(i).toBuilder().indexed(false).unique(false).build());
                }
            }
        }
        return out;
    }
}
