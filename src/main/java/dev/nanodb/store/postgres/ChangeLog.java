package dev.nanodb.store.postgres;

import dev.nanodb.store.Change;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * The cross-node change log: every committed change of every node sharing one database, as rows of
 * {@code <schema>.nanodb_changes}, announced with {@code NOTIFY} and read back by one listener per node.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li><b>seq order is commit order.</b> A bigserial alone does not give this: two transactions take 5 and 6 and
 *       6 may commit first, so a reader that has seen 6 and then asks for {@code seq > 6} misses 5 for ever.
 *       {@link #append} therefore takes a transaction-scoped advisory lock (one key per schema) before it draws
 *       any seq, and holds it until COMMIT or ROLLBACK. PostgreSQL makes a transaction visible before it releases
 *       its locks, so when the next appender draws its seq every smaller seq is already committed or rolled
 *       back: a reader never sees a seq while a smaller one is still in flight, and {@code seq > last} loses
 *       nothing. Gaps (from rollbacks) are harmless.</li>
 *   <li><b>A transaction's rows are contiguous</b> in seq (the lock is held from its first row to its commit), so
 *       the listener can group them per {@code txid} by adjacency and deliver one batch per transaction.</li>
 *   <li><b>Rows carry the whole record</b> ({@code jsonb}; for a delete, the record as it was), and the
 *       notification carries only the last seq: a record of any size arrives, and nothing depends on
 *       notifications arriving at all (they only wake the listener early; see {@link ChangeLogListener}).</li>
 * </ul>
 *
 * <p><b>Trade-off of the lock.</b> Change-producing transactions commit one at a time across all nodes, so
 * change throughput is bounded by about one commit latency per transaction. This costs less than it seems:
 * PostgreSQL already serialises every transaction that sends {@code NOTIFY} (a cluster-wide lock taken just
 * before commit and held through it, so that notifications queue in commit order), and NanoDB group-commits, so
 * one transaction carries every write queued meanwhile. Writers take the lock as their FIRST statement
 * ({@link #lockWrites}): then a lock holder never waits for a row lock held by another writer (every writer
 * holding row locks holds this lock), so writers never deadlock — not over records, and not over the counts rows
 * that many writes of one value update. Readers are not affected.
 *
 * <p>Thread-safe: {@link #append} and {@link #prune} may be called from any thread; each log has at most one
 * listener.
 */
public final class ChangeLog implements AutoCloseable {
    /** The table's name; it lives in the schema given to the constructor. */
    static final String TABLE = "nanodb_changes";
    /** One row: the highest seq {@link #prune} ever deleted, so a listener can tell that it missed pruned rows. */
    static final String PRUNED = "nanodb_changes_pruned";

    /** Opens a connection of its own (not one from a pool), kept open by the listener for LISTEN. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    /**
     * One logged change. {@code seq}, {@code txid} and {@code node} are set when read back; rows given to
     * {@link #append} are made with {@link #of} and leave them unset (0, 0, null).
     *
     * @param recordJson the record's JSON after the write (for a delete, as it was); read back from {@code jsonb},
     *                   so its key order and spacing are PostgreSQL's, not the writer's
     */
    public record Row(long seq, long txid, String node, Change.Action action, String collectionId,
                      String collection, String recordId, long version, String recordJson) {
        public Row {
            Objects.requireNonNull(action);
            Objects.requireNonNull(collectionId);
            Objects.requireNonNull(collection);
            Objects.requireNonNull(recordId);
            Objects.requireNonNull(recordJson);
        }

        public static Row of(Change.Action action, String collectionId, String collection, String recordId,
                             long version, String recordJson) {
            return new Row(0, 0, null, action, collectionId, collection, recordId, version, recordJson);
        }
    }

    private final DataSource pool;
    private final String schema;
    private final String table;
    private final String pruned;
    private final String channel;
    private final long lockKey;
    private final ConnectionFactory listenerConnections;
    private ChangeLogListener listener;

    /**
     * @param pool                the store's pool, used by {@link #prune} and {@link #latestSeq()}
     * @param schema              the schema holding {@code nanodb_changes}; also names the channel and the lock
     * @param listenerConnections opens the listener's dedicated connection (again after each loss)
     */
    public ChangeLog(DataSource pool, String schema, ConnectionFactory listenerConnections) {
        this.pool = Objects.requireNonNull(pool);
        this.schema = Objects.requireNonNull(schema);
        this.listenerConnections = Objects.requireNonNull(listenerConnections);
        this.table = quote(schema) + "." + TABLE;
        this.pruned = quote(schema) + "." + PRUNED;
        this.channel = channelFor(schema);
        this.lockKey = lockKeyFor(schema);
    }

    /**
     * Creates the table and its index if they do not exist. Not safe against a concurrent first creation by
     * another node: call it under the store's migration lock.
     */
    public static void createTable(Connection c, String schema) throws SQLException {
        String t = quote(schema) + "." + TABLE;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            s.execute("CREATE TABLE IF NOT EXISTS " + t + " ("
                    + "seq bigserial PRIMARY KEY, "
                    + "txid bigint NOT NULL, "
                    + "node text NOT NULL, "
                    + "action text NOT NULL CHECK (action IN ('create', 'update', 'delete')), "
                    + "collection_id text NOT NULL, "
                    + "collection text NOT NULL, "
                    + "record_id text NOT NULL, "
                    + "version bigint NOT NULL, "
                    + "record jsonb NOT NULL, "
                    + "at timestamptz NOT NULL DEFAULT now())");
            s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_at ON " + t + " (at)");
            String p = quote(schema) + "." + PRUNED;
            s.execute("CREATE TABLE IF NOT EXISTS " + p
                    + " (id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), through bigint NOT NULL)");
            s.execute("INSERT INTO " + p + " (through) VALUES (0) ON CONFLICT (id) DO NOTHING");
        }
    }

    /**
     * Takes the log's commit lock for the rest of {@code tx}: the first statement of every writing transaction
     * (see the class comment). {@link #append} takes it too (re-entrant), for callers that append only.
     */
    public void lockWrites(Connection tx) throws SQLException {
        if (tx.getAutoCommit()) throw new IllegalStateException("the commit lock is taken inside a transaction");
        try (PreparedStatement lock = tx.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey);
            lock.executeQuery().close();
        }
    }

    /**
     * Logs {@code rows} as one transaction of {@code node} and announces them at commit. Must run inside the
     * writer's open transaction ({@code tx} not in auto-commit), as its last statement before COMMIT: the rows
     * become visible, and the notification is sent, exactly when (and only if) the writer's changes commit.
     *
     * @return the seq of the last row appended (the rows take the seqs just below it, contiguously); 0 when
     *         {@code rows} is empty and nothing was appended
     */
    public long append(Connection tx, String node, List<Row> rows) throws SQLException {
        Objects.requireNonNull(node);
        if (rows.isEmpty()) {
            return 0;
        }
        lockWrites(tx);
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO " + table
                + " (txid, node, action, collection_id, collection, record_id, version, record)"
                + " VALUES (txid_current(), ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            for (Row r : rows) {
                insert.setString(1, node);
                insert.setString(2, r.action().wireName());
                insert.setString(3, r.collectionId());
                insert.setString(4, r.collection());
                insert.setString(5, r.recordId());
                insert.setLong(6, r.version());
                insert.setString(7, r.recordJson());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement notify = tx.prepareStatement("SELECT last, pg_notify(?, last::text)"
                + " FROM (SELECT currval(pg_get_serial_sequence(?, 'seq')) AS last) s")) {
            notify.setString(1, channel);
            notify.setString(2, table);
            try (ResultSet rs = notify.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The highest committed seq (or pruned one, if the log is empty): where a node that starts now begins
     * listening. No change committed later can have a smaller seq (see the class invariants), so starting here
     * misses nothing, and it is never below the prune mark, so it reports no false gap.
     */
    public long latestSeq() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT greatest((SELECT coalesce(max(seq), 0) FROM " + table
                     + "), (SELECT coalesce(max(through), 0) FROM " + pruned + "))")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Deletes rows older than {@code keep}; never a row younger. A listener disconnected for longer than
     * {@code keep} cannot catch up on what was deleted, so {@code keep} must exceed the longest outage to survive
     * (minutes to hours, not seconds); such a listener is told so, through its gap handler, not left unaware:
     * the same statement raises the prune mark to the highest seq deleted.
     *
     * @return the number of rows deleted
     */
    public int prune(Duration keep) throws SQLException {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "WITH gone AS (DELETE FROM " + table + " WHERE at < now() - ? * interval '1 millisecond' RETURNING seq),"
                        + " mark AS (UPDATE " + pruned + " SET through = greatest(through,"
                        + " (SELECT coalesce(max(seq), 0) FROM gone)))"
                        + " SELECT count(*) FROM gone")) {
            s.setLong(1, keep.toMillis());
            int deleted;
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                deleted = rs.getInt(1);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return deleted;
        }
    }

    /**
     * Starts this log's listener: from now on every change with a seq above {@code afterSeq} is given to
     * {@code sink}, one call per transaction, in seq (= commit) order, exactly once, on the listener's thread.
     * The sink must not block for long; an exception it throws is logged and the batch counts as delivered.
     */
    public void start(long afterSeq, Consumer<List<Row>> sink) {
        start(afterSeq, sink, lostThrough -> { });
    }

    /**
     * Like {@link #start(long, Consumer)}, and calls {@code onGap} (on the listener's thread, before the rows
     * that follow) when rows this listener had not yet delivered were pruned: changes up to the given seq may be
     * lost to it. The store should then treat its subscribers as out of sync (e.g. drop their streams so that
     * clients reload). Each prune mark is reported once.
     */
    public synchronized void start(long afterSeq, Consumer<List<Row>> sink, LongConsumer onGap) {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = new ChangeLogListener(listenerConnections, table, pruned, channel, afterSeq, sink, onGap);
        listener.start();
    }

    /** The seq of the last row given to the sink (or the start's {@code afterSeq}). */
    public long lastDeliveredSeq() {
        ChangeLogListener l = currentListener();
        return l == null ? 0 : l.lastDelivered();
    }

    /** How many times the listener lost its connection and opened a new one. */
    public long reconnects() {
        ChangeLogListener l = currentListener();
        return l == null ? 0 : l.reconnects();
    }

    /** Stops the listener's thread and closes its connection; the log itself needs no closing. */
    @Override
    public void close() {
        ChangeLogListener l = currentListener();
        if (l != null) {
            l.close();
        }
    }

    String channel() {
        return channel;
    }

    String schema() {
        return schema;
    }

    private synchronized ChangeLogListener currentListener() {
        return listener;
    }

    /**
     * The NOTIFY channel of {@code schema}: channels are database-wide, so two stores in two schemas of one
     * database must not share one. Lower-case {@code [a-z0-9_]} only (safe unquoted and quoted alike), at most
     * 63 bytes, and a hash of the exact schema name keeps schemas that sanitise alike apart.
     */
    static String channelFor(String schema) {
        String clean = schema.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.length() > 30) {
            clean = clean.substring(0, 30);
        }
        return "nanodb_changes_" + clean + "_" + Long.toHexString(fnv1a(schema));
    }

    /** The advisory lock key of {@code schema}'s log: a fixed tag in the high bits, a hash of the schema below. */
    static long lockKeyFor(String schema) {
        return (0x4E44_42L << 40) ^ (fnv1a(schema) & 0xFF_FFFF_FFFFL);
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The columns of a {@link Row}, in the order {@link #rowFrom} reads them. */
    static final String COLUMNS =
            "seq, txid, node, action, collection_id, collection, record_id, version, record::text";

    /** Reads rows after {@code afterSeq} in seq order, at most {@code limit}. */
    static List<Row> read(Connection c, String table, long afterSeq, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE seq > ? ORDER BY seq LIMIT " + limit)) {
            s.setLong(1, afterSeq);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rowFrom(rs));
                }
            }
            return rows;
        }
    }

    /** The row at the result set's cursor, selected with {@link #COLUMNS}. */
    static Row rowFrom(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3),
                Change.Action.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9));
    }
}
