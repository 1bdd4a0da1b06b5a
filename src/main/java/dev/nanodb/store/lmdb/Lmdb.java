package dev.nanodb.store.lmdb;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * The LMDB environment and its four databases, plus the small amount of machinery every access needs.
 *
 * <ul>
 *   <li>{@code meta}: the catalog (collection definitions, their numeric tags and index ids), id counters and
 *       shared secrets ({@code secret:<name>});</li>
 *   <li>{@code records}: {@code tag(4) + id} → the record as JSON;</li>
 *   <li>{@code index}: {@code indexId(4) + encoded value [+ id]} → id (see {@link IndexKeys});</li>
 *   <li>{@code counts}: exact counters (records per collection, records per indexed value).</li>
 * </ul>
 *
 * <p>Growing the memory map must not happen while any transaction of this process is open, so every read runs
 * under the shared side of {@link #mapLock} and a resize takes the exclusive side. Reads take microseconds, so
 * the resize waits at most that long.
 */
final class Lmdb implements AutoCloseable {
    final Env<ByteBuffer> env;
    final Dbi<ByteBuffer> meta;
    final Dbi<ByteBuffer> records;
    final Dbi<ByteBuffer> index;
    final Dbi<ByteBuffer> counts;
    final StampedLock mapLock = new StampedLock();
    /** The data folder, to tell a full disk from other I/O failures ({@link LmdbErrors}). */
    final File dir;
    private final long maxMapSize;
    private volatile long mapSize;

    private static final ThreadLocal<ByteBuffer> KEY_A = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));
    private static final ThreadLocal<ByteBuffer> KEY_B = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));
    private static final ThreadLocal<ByteBuffer> VAL = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));

    Lmdb(File dir, long initialMapSize, long maxMapSize, boolean durable) {
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create the data folder " + dir);
        }
        this.maxMapSize = maxMapSize;
        this.dir = dir;
        File dataFile = new File(dir, "data.mdb");
        long start = Math.max(initialMapSize, dataFile.length() + (dataFile.length() >> 1));
        this.mapSize = roundToPage(Math.min(start, Math.max(maxMapSize, dataFile.length())));
        EnvFlags[] flags = durable
                ? new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC, EnvFlags.MDB_NORDAHEAD}
                : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NORDAHEAD};
        this.env = Env.create().setMapSize(mapSize).setMaxDbs(8).setMaxReaders(1024).open(dir, flags);
        this.meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
        this.records = env.openDbi("records", DbiFlags.MDB_CREATE);
        this.index = env.openDbi("index", DbiFlags.MDB_CREATE);
        this.counts = env.openDbi("counts", DbiFlags.MDB_CREATE);
    }

    private static long roundToPage(long n) {
        return (n + 4095) & ~4095L;
    }

    long mapSize() {
        return mapSize;
    }

    /**
     * Doubles the map (up to the configured maximum). Called by the single writer with no write transaction
     * open; waits for in-flight reads.
     *
     * @return false when the map is already at its maximum
     */
    boolean grow() {
        if (mapSize >= maxMapSize) return false;
        long next = roundToPage(Math.min(maxMapSize, mapSize * 2));
        long stamp = mapLock.writeLock();
        try {
            env.setMapSize(next);
            mapSize = next;
        } finally {
            mapLock.unlockWrite(stamp);
        }
        return true;
    }

    /** Runs a read transaction under the shared map lock; the function must copy out what it keeps. */
    <R> R read(Function<Txn<ByteBuffer>, R> body) {
        long stamp = mapLock.readLock();
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            return body.apply(txn);
        } finally {
            mapLock.unlockRead(stamp);
        }
    }

    /** A thread-local direct buffer holding {@code bytes}, ready to pass as a key. Valid until the next call. */
    static ByteBuffer keyA(byte[] bytes) {
        return fill(KEY_A.get(), bytes);
    }

    /** A second thread-local key buffer, for operations that need two keys at once. */
    static ByteBuffer keyB(byte[] bytes) {
        return fill(KEY_B.get(), bytes);
    }

    /**
     * The calling thread's second key buffer itself, for a loop that fills it many times ({@link #fill}): looking
     * a thread-local up once per query instead of once per record is measurably cheaper on event-loop threads.
     */
    static ByteBuffer keyBufferB() {
        return KEY_B.get();
    }

    static ByteBuffer fill(ByteBuffer b, byte[] bytes) {
        b.clear();
        b.put(bytes).flip();
        return b;
    }

    /** A thread-local direct buffer for a small value (at most 511 bytes); LMDB copies it during the put. */
    static ByteBuffer smallValue(byte[] bytes) {
        return fill(VAL.get(), bytes);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public void close() {
        env.close();
    }
}
