package dev.nanodb.filter;

/**
 * Tells {@link SqlCompiler} where a field's value lives in the database. The caller (a store) owns the table
 * layout, so it alone turns a validated field path into SQL; the compiler never builds identifiers itself.
 */
public interface SqlTarget {

    /**
     * The field's value as a PostgreSQL {@code jsonb} expression (SQL NULL or JSON null when absent). It must be
     * built only from validated names, never from request text.
     */
    String json(String path);

    /**
     * The same value as {@code text} ({@code json(path) #>> '{}'} for a scalar). A store returns the exact
     * expression of its text indexes here so that string comparisons can use them.
     */
    String text(String path);

    /**
     * A plain text column that holds the field's value as a string in every row (never null, collation "C"), or
     * null when the field lives in the document. Sorting on such a column needs no type ranks, so its index serves.
     */
    default String textColumn(String path) {
        return null;
    }
}
