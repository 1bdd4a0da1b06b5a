package dev.nanodb.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's reader of the change log: a thread with a dedicated connection that LISTENs on the log's channel
 * and, whenever woken, reads every row after the last one it delivered.
 *
 * <p><b>Why nothing is missed.</b> The listener never trusts notifications for content: a notification only
 * says "read now". Each (re)connection first runs LISTEN and only then reads everything after
 * {@link #lastDelivered()}, so a change committed between the two is either read then or announced afterwards.
 * A change whose notification is lost (the connection died before it arrived) is read by the catch-up after
 * the reconnect, or by the safety poll that reads every {@link #SAFETY_POLL_MS} regardless. Reads are
 * {@code seq > last ORDER BY seq}, which is complete because seq order is commit order ({@link ChangeLog}).
 *
 * <p><b>Why nothing arrives twice.</b> One thread delivers, and it advances {@code last} past each transaction
 * it hands to the sink before reading again; a reconnect resumes from {@code last}.
 *
 * <p><b>Limits.</b> Rows pruned while this listener was away for longer than the prune age are lost to it; it
 * reports that to its gap handler rather than carry on unaware. A sink that blocks stalls this node's feed (not
 * the writers).
 */
final class ChangeLogListener {
    private static final Logger log = LoggerFactory.getLogger(ChangeLogListener.class);
    /** Rows per round trip while catching up: bounds memory however far behind the listener is. */
    static final int FETCH = 100;
    /** A read that hangs this long (a silently dead peer) fails, so the connection is replaced. */
    private static final int NETWORK_TIMEOUT_MS = 30_000;
    /** Read even without a notification this often: covers a notification lost without the connection failing. */
    static final long SAFETY_POLL_MS = 3_000;
    /** How long one wait for notifications blocks: bounds how late {@link #close()} is noticed. */
    private static final int WAIT_MS = 250;
    private static final long BACKOFF_MIN_MS = 50;
    private static final long BACKOFF_MAX_MS = 5_000;

    private final ChangeLog.ConnectionFactory connections;
    private final String table;
    private final String pruned;
    private final String channel;
    private final Consumer<List<ChangeLog.Row>> sink;
    private final LongConsumer onGap;
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile long lastDelivered;
    /** The highest prune mark already checked against {@link #lastDelivered} (and reported if it was a gap). */
    private long pruneMarkSeen;
    private volatile boolean running = true;
    private volatile Connection connection;
    /** The wait before the next reconnect; doubles per failed attempt, reset once a connection has caught up. */
    private long backoff = BACKOFF_MIN_MS;

    ChangeLogListener(ChangeLog.ConnectionFactory connections, String table, String pruned, String channel,
                      long afterSeq, Consumer<List<ChangeLog.Row>> sink, LongConsumer onGap) {
        this.connections = connections;
        this.table = table;
        this.pruned = pruned;
        this.channel = channel;
        this.sink = sink;
        this.onGap = onGap;
        this.lastDelivered = afterSeq;
        this.pruneMarkSeen = afterSeq;
        this.thread = Thread.ofPlatform().daemon().name("nanodb-changelog-" + channel).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    long lastDelivered() {
        return lastDelivered;
    }

    long reconnects() {
        return reconnects.get();
    }

    /** Stops the thread (within about one wait) and closes the connection. Idempotent. */
    void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
            if (thread.isAlive()) {
                closeQuietly(connection); // unblocks a read stuck on a dead socket
                thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(connection);
    }

    private void run() {
        boolean first = true;
        while (running) {
            try {
                Connection c = connections.open();
                connection = c;
                if (!first) {
                    reconnects.incrementAndGet();
                    log.info("change log listener on {} reconnected; catching up after seq {}", channel, lastDelivered);
                }
                first = false;
                listenAndDeliver(c);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("change log listener on {} lost its connection ({}); retrying in {} ms", channel,
                        e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
            } finally {
                closeQuietly(connection);
                connection = null;
            }
        }
    }

    /** LISTEN, catch up, then deliver on every notification and every safety poll, until closed. */
    private void listenAndDeliver(Connection c) throws SQLException {
        c.setAutoCommit(true);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // for deliverAll: once per session
        c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + ChangeLog.quote(channel));
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        deliverAll(c); // resync: everything committed while we were away, or before we started
        backoff = BACKOFF_MIN_MS;
        long nextPoll = System.nanoTime() + SAFETY_POLL_MS * 1_000_000;
        while (running) {
            PGNotification[] notes = pg.getNotifications(WAIT_MS);
            boolean wake = false;
            if (notes != null) {
                for (PGNotification n : notes) {
                    wake |= announcesNew(n);
                }
            }
            if (wake || System.nanoTime() - nextPoll >= 0) {
                deliverAll(c);
                nextPoll = System.nanoTime() + SAFETY_POLL_MS * 1_000_000;
            }
        }
    }

    /** True unless the notification names a seq already delivered (a malformed payload counts as new). */
    private boolean announcesNew(PGNotification n) {
        try {
            return Long.parseLong(n.getParameter()) > lastDelivered;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Delivers every committed row after {@link #lastDelivered}, one sink call per transaction. The rows stream
     * through a cursor ({@link #FETCH} at a time), so memory holds one transaction plus one fetch, however far
     * behind the listener is; one snapshot makes the last transaction read complete (all its rows or none).
     * The read transaction is ended before returning: notifications only arrive while the session is idle.
     * It is REPEATABLE READ so that the prune mark and the rows come from one snapshot: a prune that deleted rows
     * after {@link #lastDelivered} shows in the mark read here, never only in the rows.
     */
    private void deliverAll(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement mark = c.createStatement();
             ResultSet m = mark.executeQuery("SELECT through FROM " + pruned)) {
            long through = m.next() ? m.getLong(1) : 0;
            if (through > pruneMarkSeen) {
                if (through > lastDelivered) {
                    reportGap(through);
                }
                pruneMarkSeen = through;
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + ChangeLog.COLUMNS + " FROM " + table + " WHERE seq > ? ORDER BY seq")) {
            s.setFetchSize(FETCH);
            s.setLong(1, lastDelivered);
            try (ResultSet rs = s.executeQuery()) {
                List<ChangeLog.Row> tx = new ArrayList<>();
                while (running && rs.next()) {
                    ChangeLog.Row r = ChangeLog.rowFrom(rs);
                    if (!tx.isEmpty() && tx.get(0).txid() != r.txid()) {
                        deliver(tx);
                        tx = new ArrayList<>();
                    }
                    tx.add(r);
                }
                if (running && !tx.isEmpty()) { // the result is exhausted, so this transaction is whole
                    deliver(tx);
                }
            }
        } finally {
            c.rollback(); // read-only: ending it is all that is needed
            c.setAutoCommit(true);
        }
    }

    private void reportGap(long through) {
        log.error("change log listener on {} missed pruned changes: seq {}..{} were deleted before it read them",
                channel, lastDelivered + 1, through);
        try {
            onGap.accept(through);
        } catch (RuntimeException e) {
            log.error("change log gap handler failed", e);
        }
    }

    private void deliver(List<ChangeLog.Row> batch) {
        try {
            sink.accept(List.copyOf(batch));
        } catch (RuntimeException e) {
            log.error("change log sink failed on seq {}..{}; skipped", batch.get(0).seq(),
                    batch.get(batch.size() - 1).seq(), e);
        }
        lastDelivered = batch.get(batch.size() - 1).seq();
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // close() interrupts to cut the backoff short; the loop re-checks running
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // already broken: nothing to release
        }
    }
}
