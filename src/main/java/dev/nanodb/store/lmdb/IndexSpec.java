package dev.nanodb.store.lmdb;

import dev.nanodb.store.Record;
import dev.nanodb.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * One index of a stored collection as the writer, the checker and the planner see it. A field's own index has one
 * column and its key is the field's name; a composite index's key is its columns joined by commas (no field name
 * holds one, so the two never meet in {@link StoredCollection#indexIds}).
 *
 * <p>An entry's key is the index id, the {@link KeyCodec} encodings of its columns' values one after the other
 * (each is self-delimiting, so byte order is the order of the value tuples), then the record id — except in a
 * unique index when every value takes part in uniqueness ({@link IndexKeys#takesPartInUniqueness}), where a second
 * record with the same tuple collides on the key. Counters: a field's non-unique index counts the records per
 * value; a composite index counts the records per prefix of its tuple, of every length but the full one (an
 * equality on a prefix then has its exact total, and the full tuple — often ending in a near-unique column such as
 * {@code created} — costs no counter per record).
 */
record IndexSpec(String key, int id, List<String> columns, boolean unique) {
    IndexSpec {
        columns = List.copyOf(columns);
    }

    static String keyOf(List<String> columns) {
        return String.join(",", columns);
    }

    boolean composite() {
        return columns.size() > 1;
    }

    /** The record's values of the columns; {@link StoreException.InvalidValue} when one cannot be indexed. */
    Object[] values(Record r) {
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.resolve(columns.get(i));
            if (!KeyCodec.indexable(out[i])) {
                throw new StoreException.InvalidValue(columns.get(i),
                        "An indexed field holds a single value, not a list or an object.");
            }
        }
        return out;
    }

    /** As {@link #values}, a value that cannot be indexed read as null (to find the entry of a record as stored). */
    Object[] storedValues(Record r) {
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = r.resolve(columns.get(i));
            out[i] = KeyCodec.indexable(v) ? v : null;
        }
        return out;
    }

    /** Whether the tuple takes part in uniqueness: a unique index, and no value null or {@code ""}. */
    boolean claims(Object[] values) {
        if (!unique) return false;
        for (Object v : values) {
            if (!IndexKeys.takesPartInUniqueness(v)) return false;
        }
        return true;
    }

    /** {@code id + values[0..n)}: the prefix of every entry whose first {@code n} values are these. */
    byte[] prefix(Object[] values, int n) {
        KeyCodec.Bytes out = new KeyCodec.Bytes(16 * n + 4);
        for (byte b : IndexKeys.indexPrefix(id)) out.write(b);
        for (int i = 0; i < n; i++) KeyCodec.encodeTo(values[i], out);
        return out.toArray();
    }

    byte[] entry(Object[] values, String recordId) {
        byte[] prefix = prefix(values, values.length);
        return claims(values) ? prefix : IndexKeys.concat(prefix, recordId.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The counters an entry with these values adds one to. */
    List<byte[]> counters(Object[] values) {
        List<byte[]> out = new ArrayList<>();
        if (!composite()) {
            if (!unique) out.add(counter(values, 1));
            return out;
        }
        for (int n = 1; n < values.length; n++) out.add(counter(values, n));
        return out;
    }

    /** The counter of the records whose first {@code n} values are these ({@link #counters}). */
    byte[] counter(Object[] values, int n) {
        return IndexKeys.concat(new byte[] {'v'}, prefix(values, n));
    }

    /** Whether {@code n} leading values have a counter. */
    boolean counts(int n) {
        return composite() ? n >= 1 && n < columns.size() : n == 1 && !unique;
    }

    /** The same entry for both tuples (5 and 5.0 are one value), so a record never collides with itself. */
    static boolean sameEntry(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!java.util.Arrays.equals(KeyCodec.encode(a[i]), KeyCodec.encode(b[i]))) return false;
        }
        return true;
    }
}
