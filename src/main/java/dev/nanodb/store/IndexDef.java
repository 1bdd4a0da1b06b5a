package dev.nanodb.store;

import java.util.List;

/**
 * An index a collection declares in PocketBase's form ({@code CREATE [UNIQUE] INDEX name ON coll (a, b DESC)}),
 * kept by name so that the collections API can answer it back. The collections capability folds an index of one
 * user field into that field's {@code indexed}/{@code unique} flags; what a backend builds from this list is each
 * {@link #composite()} index (two or more columns) and an index of {@code updated} alone.
 *
 * <p>Invariants (enforced by the collections capability, which owns definitions): {@code name} is an identifier
 * unique within the collection; columns are distinct, at most {@link #MAX_COLUMNS}, each a single-valued field of
 * the collection or {@code created}/{@code updated}. A unique index's tuple takes part in uniqueness only when every
 * column holds a value other than null and {@code ""}, as a unique field's value does.
 *
 * @param columns in index order; a column's {@code descending} flag is kept for the answer only: a backend walks
 *                an index either way
 */
public record IndexDef(String name, boolean unique, List<Column> columns) {
    public static final int MAX_COLUMNS = 8;

    /** One column of an index. */
    public record Column(String field, boolean descending) {}

    public IndexDef {
        columns = List.copyOf(columns);
    }

    /** The fields of the columns, in order. */
    public List<String> fields() {
        return columns.stream().map(Column::field).toList();
    }

    /** Two columns or more: an index no field's own flags can express. */
    public boolean composite() {
        return columns.size() > 1;
    }
}
