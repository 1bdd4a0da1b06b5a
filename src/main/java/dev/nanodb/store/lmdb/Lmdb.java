package dev.nanodb.store.lmdb;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
    /*
     * The environment and its databases are replaced only by swap(), under the exclusive side of mapLock; every
     * reader holds the shared side and the writer thread is the one that swaps, so all see a consistent set.
     */
    Env<ByteBuffer> env;
    Dbi<ByteBuffer> meta;
    Dbi<ByteBuffer> records;
    Dbi<ByteBuffer> index;
    Dbi<ByteBuffer> counts;
    final StampedLock mapLock = new StampedLock();
    /**
     * Held (shared) by every snapshot copy, which runs a long read transaction outside {@link #mapLock}; growing
     * the map takes it exclusively first, so a write that needs a larger map waits for the copy to end while
     * reads go on (holding mapLock for a whole copy would queue every reader behind a waiting resize).
     */
    final ReentrantReadWriteLock copies = new ReentrantReadWriteLock();
    /** The data folder, to tell a full disk from other I/O failures ({@link LmdbErrors}). */
    final File dir;
    private final long initialMapSize;
    private final long maxMapSize;
    private final EnvFlags[] flags;
    private volatile long mapSize;

    private static final ThreadLocal<ByteBuffer> KEY_A = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));
    private static final ThreadLocal<ByteBuffer> KEY_B = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));
    private static final ThreadLocal<ByteBuffer> VAL = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));

    Lmdb(File dir, long initialMapSize, long maxMapSize, boolean durable) {
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create the data folder " + dir);
        }
        this.initialMapSize = initialMapSize;
        this.maxMapSize = maxMapSize;
        this.dir = dir;
        this.flags = durable
                ? new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC, EnvFlags.MDB_NORDAHEAD}
                : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NORDAHEAD};
        open();
    }

    /** A read-only view of one data file (a snapshot), without a lock file: it is never written. */
    private Lmdb(File file) {
        this.dir = file.getParentFile();
        this.initialMapSize = this.maxMapSize = this.mapSize = roundToPage(Math.max(file.length(), 4096));
        this.flags = new EnvFlags[] {EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOSUBDIR, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOTLS};
        this.env = Env.create().setMapSize(mapSize).setMaxDbs(8).setMaxReaders(8).open(file, flags);
        try {
            openDbis();
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    static Lmdb readOnly(File dataFile) {
        return new Lmdb(dataFile);
    }

    File dataFile() {
        return new File(dir, "data.mdb");
    }

    private void open() {
        File dataFile = dataFile();
        long start = Math.max(initialMapSize, dataFile.length() + (dataFile.length() >> 1));
        this.mapSize = roundToPage(Math.min(start, Math.max(maxMapSize, dataFile.length())));
        this.env = Env.create().setMapSize(mapSize).setMaxDbs(8).setMaxReaders(1024).open(dir, flags);
        openDbis();
    }

    private void openDbis() {
        DbiFlags[] create = env.isReadOnly() ? new DbiFlags[0] : new DbiFlags[] {DbiFlags.MDB_CREATE};
        this.meta = env.openDbi("meta", create);
        this.records = env.openDbi("records", create);
        this.index = env.openDbi("index", create);
        this.counts = env.openDbi("counts", create);
    }

    /**
     * Replaces the data file by {@code staged} (same folder, already synced) and reopens the environment; then runs
     * {@code reload} with the new environment while readers are still held back. Called by the writer thread with no
     * transaction of its own open; waits for in-flight reads and copies. If the rename fails, the old data is
     * reopened and the failure rethrown.
     */
    void swap(Path staged, Runnable reload) throws IOException {
        copies.writeLock().lock();
        long stamp = mapLock.writeLock();
        try {
            env.close();
            try {
                Files.move(staged, dataFile().toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncFolder(dir.toPath());
            } finally {
                open();
            }
            reload.run();
        } finally {
            mapLock.unlockWrite(stamp);
            copies.writeLock().unlock();
        }
    }

    /** Makes a rename in {@code folder} durable. */
    static void syncFolder(Path folder) throws IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static long roundToPage(long n) {
        return (n + 4095) & ~4095L;
    }

    long mapSize() {
        return mapSize;
    }

    /**
     * Doubles the map (up to the configured maximum). Called by the single writer with no write transaction
     * open; waits for in-flight reads and snapshot copies.
     *
     * @return false when the map is already at its maximum
     */
    boolean grow() {
        if (mapSize >= maxMapSize) return false;
        long next = roundToPage(Math.min(maxMapSize, mapSize * 2));
        copies.writeLock().lock();
        long stamp = mapLock.writeLock();
        try {
            env.setMapSize(next);
            mapSize = next;
        } finally {
            mapLock.unlockWrite(stamp);
            copies.writeLock().unlock();
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
