package dev.nanodb.filter;

import java.util.ArrayList;
import java.util.List;

/** A relation path's semi-join ({@link Member}) as a PostgreSQL condition over the relation field's jsonb. */
final class SqlMember {
    private SqlMember() {}

    /**
     * {@link Member#test} in SQL. A scalar member is an equality with any of the ids, which an index serves. The ids
     * travel as one parameter, a JSON array of strings, so a large set costs
     * one bind; {@code jsonb_exists_any} (the function behind {@code ?|}, which JDBC would take for a parameter)
     * matches a string scalar equal to one of them, or an array with such a string element.
     */
    static Sql condition(SqlTarget target, Member m, String alias) {
        String path = m.field().path();
        String j = target.json(path);
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        String ids = "ARRAY(SELECT jsonb_array_elements_text(?::jsonb))";
        StringBuilder arr = new StringBuilder("[");
        String sep = "";
        for (String id : new java.util.TreeSet<>(m.ids())) {
            arr.append(sep).append(SqlText.quote(SqlText.pgText(id)));
            sep = ",";
        }
        String idsJson = arr.append(']').toString();
        if (m.scalar()) {
            // an equality with any of the ids: the field's index (or the id column's) answers it
            String column = target.textColumn(path);
            sql.append(column != null ? "(" + column + " = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb))))"
                    : "(" + j + " = ANY(ARRAY(SELECT jsonb_array_elements(?::jsonb))))");
            params.add(idsJson);
            return new Sql(sql.toString(), params);
        }
        if (!m.all()) {
            sql.append("(jsonb_typeof(").append(j).append(") IN ('string', 'array') AND COALESCE(jsonb_exists_any(")
                    .append(j).append(", ").append(ids).append("), FALSE))");
            params.add(idsJson);
            return new Sql(sql.toString(), params);
        }
        sql.append("(CASE jsonb_typeof(").append(j).append(") WHEN 'string' THEN COALESCE(jsonb_exists_any(").append(j)
                .append(", ").append(ids).append("), FALSE) WHEN 'array' THEN jsonb_array_length(").append(j)
                .append(") > 0 AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(").append(j).append(") AS ")
                .append(alias).append("(v) WHERE NOT (jsonb_typeof(").append(alias).append(".v) = 'string' AND ")
                .append("COALESCE(jsonb_exists_any(").append(alias).append(".v, ").append(ids)
                .append("), FALSE))) ELSE FALSE END)");
        params.add(idsJson);
        params.add(idsJson);
        return new Sql(sql.toString(), params);
    }
}
