package dev.nanodb.records;

import java.util.Arrays;

/** An unsynchronised byte builder sized up front (ByteArrayOutputStream locks on every write). */
final class Bytes {
    private byte[] buf;
    private int len;

    Bytes(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    void add(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void add(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** The first {@code n} bytes of {@code b}. */
    void add(byte[] b, int n) {
        add(b, 0, n);
    }

    void add(byte[] b) {
        add(b, 0, b.length);
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    byte[] done() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }
}
