package dev.nanodb.filter;

import java.util.List;

/** {@code ORDER BY} terms for a field with exactly the order of {@link Values#compare}, over a {@link SqlTarget}. */
public final class SqlSort {
    private SqlSort() {}

    /**
     * {@code ORDER BY} terms that sort a field as {@link Values#compare} does: by rank, then within the rank.
     * No parameters; the text is built from the target's expressions only.
     *
     * <p>Three terms, each NULL except where its type applies: the rank; booleans (0/1) and numbers as
     * {@code float8}; strings, and lists or objects by their jsonb text, under "C". Within one rank exactly one of
     * the last two terms is non-null (neither for rank 0, the null or absent value), so where SQL places NULLs
     * never changes the order. A store that indexes {@link #sortKey} gets these terms served by that index.
     */
    public static String orderTerms(String path, boolean descending, SqlTarget target) {
        String dir = descending ? " DESC" : " ASC";
        String column = target.textColumn(path);
        if (column != null) return column + dir;
        return String.join(dir + ", ", sortKey(path, target)) + dir;
    }

    /**
     * {@code ORDER BY} terms for a function's value ({@code sort=geoDistance(…)}), in the order of
     * {@link Values#compare} as {@link #orderTerms} gives a field's; the call's parameters are bound in the text's order.
     */
    public static Sql orderTerms(Call call, boolean descending, SqlTarget target) {
        SqlFunctions.Value v = SqlFunctions.of(call, target);
        String j = v.json();
        String dir = descending ? " DESC" : " ASC";
        String text = rank(j) + dir + ", (CASE jsonb_typeof(" + j + ") WHEN 'number' THEN (" + j + ")::float8 END)" + dir
                + ", ((CASE jsonb_typeof(" + j + ") WHEN 'string' THEN (" + v.text() + ") END) COLLATE \"C\")" + dir;
        List<Object> params = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) params.addAll(v.params());
        return new Sql(text, params);
    }

    static String rank(String json) {
        return "(CASE jsonb_typeof(" + json + ") WHEN 'boolean' THEN 1 WHEN 'number' THEN 2 WHEN 'string' THEN 3"
                + " WHEN 'array' THEN 4 WHEN 'object' THEN 4 ELSE 0 END)";
    }

    /** The expressions of {@link #orderTerms} without direction: what a sort index on the field must list. */
    public static List<String> sortKey(String path, SqlTarget target) {
        String j = target.json(path);
        return List.of(rank(j),
                "(CASE jsonb_typeof(" + j + ") WHEN 'number' THEN (" + j + ")::float8 WHEN 'boolean' THEN"
                        + " (CASE WHEN (" + j + ")::boolean THEN 1 ELSE 0 END)::float8 END)",
                "((CASE jsonb_typeof(" + j + ") WHEN 'string' THEN (" + target.text(path) + ") WHEN 'array' THEN ("
                        + j + ")::text WHEN 'object' THEN (" + j + ")::text END) COLLATE \"C\")");
    }
}
