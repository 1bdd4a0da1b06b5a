package dev.nanodb.logs.lmdb;

import dev.nanodb.logs.LogIds;
import dev.nanodb.logs.LogStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.GetOp;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request logs in an LMDB environment of their own ({@code DB_PATH/logs}), apart from the records' store so
 * that logging never waits for, locks or grows the durable data.
 *
 * <p>Bounded: the memory map — and so the file — never exceeds {@code mapSize}, and entries are kept below half of
 * it ({@link #budget}), the other half being room for LMDB's branch pages and the free pages a long read holds back.
 * An entry is charged what it really takes in the file ({@link #cost}): one too large for half a page lives on
 * overflow pages of its own, so a 2 KB entry costs a whole 4 KB page. One key per entry (its 15-byte id: time
 * order); the value is one byte of level, then the entry's JSON.
 *
 * <p>On opening, the figures come from LMDB's statistics, not from a walk over the entries (a full log took 300 ms
 * of a restart): the entries' bytes are then their leaf and overflow pages, at least what {@link #cost} sums, so
 * the budget errs on the safe side until the oldest entries are trimmed.
 *
 * <p>A batch is stored newest entries first in mind: only the newest that fit in the budget are written (older ones
 * would be trimmed at once), in chunks of at most a quarter of the budget, the oldest stored entries making room
 * before each chunk. So a writer that fell behind and hands over more than the whole file holds still keeps the
 * newest requests instead of losing the batch.
 *
 * <p>Durability is relaxed on purpose ({@code MDB_NOMETASYNC}): a commit writes its data pages but not the meta
 * page, so a power loss may lose the last commit (a fraction of a second of logs) but never leaves the file
 * inconsistent. A file that cannot be opened, or is larger than the configured size, is replaced by an empty one:
 * logs are disposable, and a bad log file must never keep the server from starting.
 *
 * <p>Writes are serialised by this object's monitor (the writer thread and the cleanup); reads run on their own
 * read transactions ({@code MDB_NOTLS}, any thread) beside them.
 */
public final class LmdbLogStore implements LogStore {
    private static final Logger LOG = LoggerFactory.getLogger(LmdbLogStore.class);
    /** LMDB's page header and leaf node header, in bytes ({@code PAGEHDRSZ}, {@code NODESIZE}). */
    private static final int PAGE_HEADER = 16;
    private static final int NODE_HEADER = 8;
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> entries;
    private final long budget;
    private final int pageSize;
    private final int nodeMax;
    private final ByteBuffer writeKey = ByteBuffer.allocateDirect(LogIds.LENGTH);
    private ByteBuffer writeValue = ByteBuffer.allocateDirect(4096);
    private volatile long count;
    private volatile long bytes;
    /** At least the greatest id ever stored (deletes leave it): a batch entirely above it is appended. */
    private String lastId = "";

    private LmdbLogStore(Env<ByteBuffer> env, long mapSize) {
        this.env = env;
        this.entries = env.openDbi("entries", DbiFlags.MDB_CREATE);
        this.budget = mapSize / 2;
        this.pageSize = env.stat().pageSize;
        this.nodeMax = ((pageSize - PAGE_HEADER) / 2) & -2;
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            org.lmdbjava.Stat stat = entries.stat(txn);
            this.count = stat.entries;
            this.bytes = (stat.leafPages + stat.overflowPages) * (long) stat.pageSize;
        }
        scan(true, c -> {
            lastId = c.id();
            return false;
        });
    }

    /** Opens (or creates) the logs in {@code dir}; a file that cannot be used is replaced by an empty one. */
    public static LmdbLogStore open(Path dir, long mapSize) {
        long size = (mapSize + 4095) & ~4095L;
        try {
            Files.createDirectories(dir);
            File data = dir.resolve("data.mdb").toFile();
            if (data.length() > size) {
                LOG.info("the request logs file is larger than LOGS_MAX_SIZE: starting an empty one");
                wipe(dir);
            }
            try {
                return new LmdbLogStore(env(dir, size), size);
            } catch (LmdbException e) {
                LOG.warn("the request logs in {} cannot be read ({}): starting an empty log", dir, e.toString());
                wipe(dir);
                return new LmdbLogStore(env(dir, size), size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the request logs folder " + dir + " cannot be used", e);
        }
    }

    private static Env<ByteBuffer> env(Path dir, long size) {
        return Env.create().setMapSize(size).setMaxDbs(1).setMaxReaders(126)
                .open(dir.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC);
    }

    private static void wipe(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("data.mdb"));
        Files.deleteIfExists(dir.resolve("lock.mdb"));
    }

    @Override
    public synchronized int append(List<Entry> batch) {
        List<Entry> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparing(Entry::id));
        long room = budget * 9 / 10;
        long total = 0;
        int from = sorted.size();
        while (from > 0) {
            long c = cost(sorted.get(from - 1));
            if (total + c > room) break;
            total += c;
            from--;
        }
        int lost = 0;
        List<Entry> chunk = new ArrayList<>();
        long chunkCost = 0;
        for (Entry e : sorted.subList(from, sorted.size())) {
            long c = cost(e);
            if (!chunk.isEmpty() && chunkCost + c > budget / 4) {
                lost += putChunk(chunk, chunkCost);
                chunk.clear();
                chunkCost = 0;
            }
            chunk.add(e);
            chunkCost += c;
        }
        if (!chunk.isEmpty()) lost += putChunk(chunk, chunkCost);
        return lost;
    }

    /** Makes room for one chunk (oldest entries first), stores it, and tries once more after a deeper cut if LMDB is full. */
    private int putChunk(List<Entry> chunk, long chunkCost) {
        if (bytes + chunkCost > budget) trimTo(budget - chunkCost);
        try {
            put(chunk);
            return 0;
        } catch (Env.MapFullException full) {
            trimTo(Math.max(0, Math.min(bytes, budget - chunkCost) / 2));
            try {
                put(chunk);
                return 0;
            } catch (Env.MapFullException again) {
                LOG.warn("the request logs are full even after removing old entries; {} entries were not kept", chunk.size());
                return chunk.size();
            }
        }
    }

    /**
     * Stores a sorted chunk. Entries normally arrive in time order, so the chunk lies above every stored id and is
     * written with {@code MDB_APPEND}: no search, and pages filled completely instead of split in half (more
     * entries within the same budget).
     */
    private void put(List<Entry> sorted) {
        PutFlags[] flags = sorted.getFirst().id().compareTo(lastId) > 0 ? new PutFlags[] {PutFlags.MDB_APPEND} : new PutFlags[0];
        long added = 0;
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (Entry e : sorted) {
                ByteBuffer key = fill(writeKey, e.id().getBytes(StandardCharsets.US_ASCII));
                ByteBuffer value = value(e);
                entries.put(txn, key, value, flags);
                added += cost(LogIds.LENGTH, value.remaining());
            }
            txn.commit();
        }
        count += sorted.size();
        bytes += added;
        if (sorted.getLast().id().compareTo(lastId) > 0) lastId = sorted.getLast().id();
    }

    private long cost(Entry e) {
        return cost(LogIds.LENGTH, 1 + e.json().length);
    }

    private long cost(org.lmdbjava.Cursor<ByteBuffer> c) {
        return cost(c.key().remaining(), c.val().remaining());
    }

    /**
     * What one entry takes in the file: its leaf node and slot, or — when the node would pass LMDB's largest
     * ({@code nodeMax}, half a page) — a node holding the key and a page number, plus the whole overflow pages of its value.
     */
    private long cost(int keyLength, int valueLength) {
        int node = NODE_HEADER + keyLength + valueLength;
        if (node <= nodeMax) return node + 2L;
        long pages = (PAGE_HEADER - 1L + valueLength) / pageSize + 1;
        return pages * pageSize + NODE_HEADER + keyLength + Long.BYTES + 2L;
    }

    /** The writer's value buffer holding level byte + JSON, grown when an entry is larger than any before. */
    private ByteBuffer value(Entry e) {
        int n = 1 + e.json().length;
        if (writeValue.capacity() < n) writeValue = ByteBuffer.allocateDirect(Math.max(n, writeValue.capacity() * 2));
        writeValue.clear();
        writeValue.put((byte) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, e.level()))).put(e.json()).flip();
        return writeValue;
    }

    @Override
    public byte[] get(String id) {
        if (!LogIds.valid(id)) return null;
        ByteBuffer key = fill(ByteBuffer.allocateDirect(LogIds.LENGTH), id.getBytes(StandardCharsets.US_ASCII));
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = entries.get(txn, key);
            return v == null ? null : json(v);
        }
    }

    @Override
    public void scan(boolean descending, Visitor visitor) {
        try (Txn<ByteBuffer> txn = env.txnRead(); org.lmdbjava.Cursor<ByteBuffer> c = entries.openCursor(txn)) {
            Entryish at = new Entryish(c);
            boolean more = descending ? c.last() : c.first();
            while (more && visitor.visit(at)) more = descending ? c.prev() : c.next();
        }
    }

    @Override
    public synchronized long deleteThrough(String lastId) {
        return deleteWhile((c, id) -> id.compareTo(lastId) <= 0, true);
    }

    @Override
    public synchronized long deleteBelow(int level) {
        return deleteWhile((c, id) -> c.val().get(c.val().position()) < level, false);
    }

    @Override
    public synchronized long trimTo(long target) {
        return deleteWhile((c, id) -> bytes > target, true);
    }

    private interface Doomed {
        boolean test(org.lmdbjava.Cursor<ByteBuffer> c, String id);
    }

    /**
     * Deletes from the oldest entry on, in transactions of at most 1000 deletes (a long cut never holds the writer
     * for long); with {@code prefix} the walk ends at the first entry kept, otherwise it visits every entry.
     */
    private long deleteWhile(Doomed doomed, boolean prefix) {
        long removed = 0;
        String after = null;
        boolean done = false;
        while (!done) {
            int inTxn = 0;
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                try (org.lmdbjava.Cursor<ByteBuffer> c = entries.openCursor(txn)) {
                    boolean more = after == null ? c.first()
                            : c.get(fill(ByteBuffer.allocateDirect(LogIds.LENGTH), after.getBytes(StandardCharsets.US_ASCII)),
                                    GetOp.MDB_SET_RANGE);
                    done = true;
                    while (more) {
                        String id = StandardCharsets.US_ASCII.decode(c.key().duplicate()).toString();
                        if (doomed.test(c, id)) {
                            long size = cost(c);
                            c.delete();
                            bytes -= size;
                            count--;
                            removed++;
                            if (++inTxn == 1000) {
                                after = id;
                                done = false;
                                break;
                            }
                            more = c.next(); // after a delete LMDB's next is the entry that followed it
                        } else if (prefix) {
                            break;
                        } else {
                            more = c.next();
                        }
                    }
                }
                txn.commit();
            }
        }
        return removed;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public long budget() {
        return budget;
    }

    @Override
    public synchronized void close() {
        env.close();
    }

    private static ByteBuffer fill(ByteBuffer b, byte[] bytes) {
        b.clear();
        b.put(bytes).flip();
        return b;
    }

    private static byte[] json(ByteBuffer v) {
        ByteBuffer d = v.duplicate();
        d.get();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** The scan's view of the cursor's current entry. */
    private static final class Entryish implements LogStore.Cursor {
        private final org.lmdbjava.Cursor<ByteBuffer> c;

        Entryish(org.lmdbjava.Cursor<ByteBuffer> c) {
            this.c = c;
        }

        @Override
        public String id() {
            return StandardCharsets.US_ASCII.decode(c.key().duplicate()).toString();
        }

        @Override
        public int level() {
            return c.val().get(c.val().position());
        }

        @Override
        public byte[] json() {
            return LmdbLogStore.json(c.val());
        }
    }
}
