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
        return new Record(rs.getString(skip + 1), rs.getString(skip + 2), rs.getString(skip + 3), rs.getLong(skip + 4),
                decode(rs.getString(skip + 5)));
    }

    /** User fields from the text of a {@code data} jsonb value (strings back from {@link SqlText#pgText} form). */
    static Map<String, Object> decode(String text) {
        Map<String, Object> data = Json.parseStored(text.getBytes(StandardCharsets.UTF_8));
        if (text.contains("\\u0001")) {
            @SuppressWarnings("unchecked") Map<String, Object> decoded = (Map<String, Object>) walk(data, false);
            data = decoded;
        }
        return data;
    }

    /**
     * A whole record as the change log's {@code record} jsonb: the system fields beside the user fields encoded as
     * in the {@code data} column, so {@link #fromLog} rebuilds exactly the record {@link #read} would return
     * (jsonb normalises both alike). The user fields are nested, as a user field may share a system field's name.
     */
    static String toLog(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("created", r.created());
        m.put("updated", r.updated());
        m.put("version", r.version());
        m.put("data", walk(r.data(), true));
        return new String(Json.write(m), StandardCharsets.UTF_8);
    }

    /** The record of a change log row written by {@link #toLog}. */
    @SuppressWarnings("unchecked")
    static Record fromLog(String json) {
        Map<String, Object> m = Json.parseStored(json.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> data = (Map<String, Object>) m.get("data");
        if (json.contains("\\u0001")) data = (Map<String, Object>) walk(data, false);
        return new Record((String) m.get("id"), (String) m.get("created"), (String) m.get("updated"),
                ((Number) m.get("version")).longValue(), data);
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
