package dev.nanodb.store.postgres;

import dev.nanodb.filter.SqlText;
import dev.nanodb.json.Json;
import dev.nanodb.store.Record;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A record's user fields to and from the {@code data jsonb} column (strings in {@link SqlText#pgText} form). */
final class Rows {
    /** The columns {@link #read} expects, in order. */
    static final String COLUMNS = "id, created, updated, version, data::text";

    private Rows() {}

    static String encode(Map<String, Object> data) {
        return new String(Json.write(walk(data, true)), StandardCharsets.UTF_8);
    }

    /** The record in the {@link #COLUMNS} that start after column {@code skip} of the current row. */
    static Record read(ResultSet rs, int skip) throws SQLException {
        String text = rs.getString(skip + 5);
        Map<String, Object> data = Json.parseStored(text.getBytes(StandardCharsets.UTF_8));
        if (text.contains("\\u0001")) {
            @SuppressWarnings("unchecked") Map<String, Object> decoded = (Map<String, Object>) walk(data, false);
            data = decoded;
        }
        return new Record(rs.getString(skip + 1), rs.getString(skip + 2), rs.getString(skip + 3), rs.getLong(skip + 4), data);
    }

    private static Object walk(Object v, boolean encode) {
        return switch (v) {
            case String s -> encode ? SqlText.pgText(s) : SqlText.fromPgText(s);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put((String) walk(String.valueOf(k), encode), walk(x, encode)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object x : l) out.add(walk(x, encode));
                yield out;
            }
            case null -> null;
            default -> v;
        };
    }
}
