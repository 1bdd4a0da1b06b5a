package dev.nanodb.store.postgres;

import dev.nanodb.filter.SqlTarget;
import dev.nanodb.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Every SQL identifier of a collection, built only from names that pass {@link #NAME} and always quoted, and the
 * {@link SqlTarget} that places filter fields on a collection table's columns.
 */
final class Tables {
    /** Collection ids and field path parts: what the schema layer's name rule allows, and short enough for a table name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,60}");
    private static final Pattern PATH_PART = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private Tables() {}

    /** The quoted table name of a collection. */
    static String table(String collectionId) {
        if (collectionId == null || !NAME.matcher(collectionId).matches()) {
            throw new StoreException.InvalidValue("id", "Invalid collection id.");
        }
        return "\"c_" + collectionId + "\"";
    }

    /**
     * The name of one of our indexes: {@code kind} is {@code j} (jsonb), {@code t} (text) or {@code u} (unique).
     * A hash keeps it under 63 characters whatever the lengths of id and field.
     */
    static String index(String collectionId, String kind, String field) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((collectionId + "/" + kind + "/" + field).getBytes(StandardCharsets.UTF_8));
            return "nx_" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code data->'f'}: the jsonb expression of a top-level user field, exactly as the indexes spell it. */
    static String json(String field) {
        return "data->'" + part(field) + "'";
    }

    /** {@code data->>'f'}: its text, exactly as the text indexes spell it. */
    static String text(String field) {
        return "data->>'" + part(field) + "'";
    }

    private static String part(String p) {
        if (!PATH_PART.matcher(p).matches()) throw new IllegalArgumentException("invalid field path part");
        return p;
    }

    /** Filter paths on a collection table: system fields on their columns, user fields (dotted too) in {@code data}. */
    static final SqlTarget TARGET = new SqlTarget() {
        @Override
        public String json(String path) {
            return switch (path) {
                case "id", "created", "updated" -> "to_jsonb(" + path + ")";
                case "_version" -> "to_jsonb(version)";
                default -> {
                    if (path.startsWith("@")) yield "NULL::jsonb";
                    StringBuilder b = new StringBuilder("data");
                    for (String p : path.split("\\.")) b.append("->'").append(part(p)).append('\'');
                    yield b.toString();
                }
            };
        }

        @Override
        public String textColumn(String path) {
            return switch (path) {
                case "id", "created", "updated" -> path;
                default -> null;
            };
        }

        @Override
        public String text(String path) {
            return switch (path) {
                case "id", "created", "updated" -> path;
                case "_version" -> "version::text";
                default -> {
                    if (path.startsWith("@")) yield "NULL::text";
                    int dot = path.lastIndexOf('.');
                    yield dot < 0 ? Tables.text(path) : "(" + json(path.substring(0, dot)) + ")->>'" + part(path.substring(dot + 1)) + "'";
                }
            };
        }
    };
}
