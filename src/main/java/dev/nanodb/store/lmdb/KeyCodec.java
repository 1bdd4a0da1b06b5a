package dev.nanodb.store.lmdb;


/**
 * Order-preserving encoding of scalar values into index keys: for any two values, the unsigned byte order of
 * their encodings equals {@link dev.nanodb.filter.Values#compare}. That single invariant is what lets an index
 * walk answer a sort, and an index range answer {@code =, <, <=, >, >=} exactly as the filter evaluator would.
 *
 * <p>Layout: a type tag whose order is the filter language's type rank (null &lt; bool &lt; number &lt; string),
 * then the value: booleans as one byte; numbers as IEEE-754 doubles with the sign bit flipped (and all bits
 * flipped for negatives) so that byte order is numeric order; strings as UTF-8 (whose byte order is code point
 * order; unpaired surrogates encoded like any other code point) with 0x00 escaped as 0x00 0xFF and terminated by 0x00 0x00, so that a shorter string sorts before
 * every longer string it prefixes and the encoding is self-delimiting.
 */
public final class KeyCodec {
    public static final byte NULL = 0x01;
    public static final byte BOOL = 0x02;
    public static final byte NUMBER = 0x03;
    public static final byte STRING = 0x04;

    private KeyCodec() {}

    /** True for the values an index can hold: null, Boolean, Number, String. */
    public static boolean indexable(Object v) {
        return v == null || v instanceof Boolean || v instanceof Number || v instanceof String;
    }

    public static byte[] encode(Object v) {
        Bytes out = new Bytes(v instanceof String s ? s.length() + 4 : 10);
        encodeTo(v, out);
        return out.toArray();
    }

    /** A minimal unsynchronised byte builder (ByteArrayOutputStream locks on every byte). */
    static final class Bytes {
        private byte[] buf;
        private int len;

        Bytes(int capacity) {
            buf = new byte[Math.max(capacity, 8)];
        }

        void write(int b) {
            if (len == buf.length) buf = java.util.Arrays.copyOf(buf, len * 2);
            buf[len++] = (byte) b;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, len);
        }
    }

    static void encodeTo(Object v, Bytes out) {
        switch (v) {
            case null -> out.write(NULL);
            case Boolean b -> {
                out.write(BOOL);
                out.write(b ? 1 : 0);
            }
            case Number n -> {
                out.write(NUMBER);
                long bits = orderedBits(n.doubleValue());
                for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (bits >>> shift));
            }
            case String s -> {
                out.write(STRING);
                writeCodePoints(s, out);
                out.write(0);
                out.write(0);
            }
            default -> throw new IllegalArgumentException("not an indexable value: " + v.getClass().getSimpleName());
        }
    }

    /**
     * UTF-8, generalised so that an unpaired surrogate (which Java strings can hold and JSON can carry as an
     * escape) is encoded as its own 3-byte sequence instead of being replaced by {@code ?}: byte order stays
     * equal to code point order for every string, and distinct strings keep distinct keys.
     */
    private static void writeCodePoints(String s, Bytes out) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0) {
                out.write(0);
                out.write(0xFF);
            } else if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | (cp >> 6));
                out.write(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out.write(0xE0 | (cp >> 12));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            } else {
                out.write(0xF0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3F));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            }
        }
    }

    private static long orderedBits(double d) {
        if (d == 0.0) d = 0.0;
        long bits = Double.doubleToLongBits(d);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }

    /** Decodes a value written by {@link #encode}; {@code end} receives the index after the value. */
    public static Object decode(byte[] key, int offset, int[] end) {
        byte tag = key[offset];
        switch (tag) {
            case NULL -> {
                end[0] = offset + 1;
                return null;
            }
            case BOOL -> {
                end[0] = offset + 2;
                return key[offset + 1] != 0;
            }
            case NUMBER -> {
                long bits = 0;
                for (int i = 1; i <= 8; i++) bits = (bits << 8) | (key[offset + i] & 0xFFL);
                bits = bits < 0 ? bits ^ Long.MIN_VALUE : ~bits;
                end[0] = offset + 9;
                return Double.longBitsToDouble(bits);
            }
            case STRING -> {
                StringBuilder s = new StringBuilder();
                int i = offset + 1;
                while (true) {
                    int b = key[i] & 0xFF;
                    if (b == 0) {
                        if (key[i + 1] == 0) break;
                        s.append('\0');
                        i += 2;
                        continue;
                    }
                    int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
                    int cp = len == 1 ? b : b & (0x3F >> (len - 1));
                    for (int k = 1; k < len; k++) cp = (cp << 6) | (key[i + k] & 0x3F);
                    s.appendCodePoint(cp);
                    i += len;
                }
                end[0] = i + 2;
                return s.toString();
            }
            default -> throw new IllegalArgumentException("bad key tag " + tag);
        }
    }

    /** Unsigned lexicographic comparison, the order LMDB keeps keys in. */
    public static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }
}
