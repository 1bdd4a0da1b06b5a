package dev.nanodb.store.lmdb;

import java.nio.charset.StandardCharsets;

/**
 * Key layouts. All multi-byte integers are big-endian so that byte order is numeric order.
 *
 * <ul>
 *   <li>record: {@code tag(4) + id};</li>
 *   <li>non-unique index entry: {@code indexId(4) + KeyCodec(value) + id} — one per record, so walking an index
 *       visits every record exactly once, ordered by (value, id);</li>
 *   <li>unique index entry: {@code indexId(4) + KeyCodec(value)} for a value — a second record with the same
 *       value collides on the key, which is how uniqueness is enforced — and {@code indexId(4) + KeyCodec(value)
 *       + id} for null and {@code ""}, since any number of records may leave a unique field empty;</li>
 *   <li>counters: {@code 'c' + tag(4)} (records in a collection) and {@code 'v' + indexId(4) + KeyCodec(value)}
 *       (records holding that value, for non-unique indexes).</li>
 * </ul>
 * The value of a unique entry is the record id; other entries end with the id and have an empty value.
 */
final class IndexKeys {
    /** LMDB's default maximum key size. */
    static final int MAX_KEY = 511;
    static final int ID_LENGTH = 15;

    private IndexKeys() {}

    static byte[] record(int tag, String id) {
        byte[] idb = id.getBytes(StandardCharsets.US_ASCII);
        byte[] k = new byte[4 + idb.length];
        putInt(k, 0, tag);
        System.arraycopy(idb, 0, k, 4, idb.length);
        return k;
    }

    static byte[] collectionPrefix(int tag) {
        byte[] k = new byte[4];
        putInt(k, 0, tag);
        return k;
    }

    static byte[] indexPrefix(int indexId) {
        return collectionPrefix(indexId);
    }

    /** {@code indexId + value}: the prefix shared by all entries holding that value. */
    static byte[] valuePrefix(int indexId, Object value) {
        return concat(indexPrefix(indexId), KeyCodec.encode(value));
    }

    /**
     * The entry of one record in one index. In a unique index, null and {@code ""} do not take part in
     * uniqueness (text fields default to empty, and many records may leave a unique field empty), so they are
     * stored like non-unique entries.
     */
    static byte[] entry(int indexId, Object value, String id, boolean unique) {
        byte[] prefix = valuePrefix(indexId, value);
        if (unique && takesPartInUniqueness(value)) return prefix;
        return concat(prefix, id.getBytes(StandardCharsets.US_ASCII));
    }

    /** The record id of an index entry: its value when it has one, else the last 15 bytes of its key. */
    static String idOf(byte[] key, java.nio.ByteBuffer value) {
        if (value.remaining() > 0) return java.nio.charset.StandardCharsets.US_ASCII.decode(value.duplicate()).toString();
        return new String(key, key.length - ID_LENGTH, ID_LENGTH, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static boolean takesPartInUniqueness(Object value) {
        return value != null && !"".equals(value);
    }

    static byte[] collectionCounter(int tag) {
        byte[] k = new byte[5];
        k[0] = 'c';
        putInt(k, 1, tag);
        return k;
    }

    static byte[] valueCounter(int indexId, Object value) {
        return concat(new byte[] {'v'}, valuePrefix(indexId, value));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void putInt(byte[] k, int off, int v) {
        k[off] = (byte) (v >>> 24);
        k[off + 1] = (byte) (v >>> 16);
        k[off + 2] = (byte) (v >>> 8);
        k[off + 3] = (byte) v;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) return false;
        return java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key starting with {@code prefix} (null when there is none). */
    static byte[] successor(byte[] prefix) {
        byte[] s = prefix.clone();
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] != (byte) 0xFF) {
                s[i]++;
                return java.util.Arrays.copyOf(s, i + 1);
            }
        }
        return null;
    }
}
