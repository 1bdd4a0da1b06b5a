package dev.nanodb.logs;

import dev.nanodb.filter.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request logs: taken from the HTTP layer without ever blocking it, written by one background thread to their
 * own bounded {@link LogStore}, read back for {@code /api/logs}, and cleaned up.
 *
 * <p><b>Taking.</b> {@link #record} puts the entry on a bounded queue ({@value #QUEUE_ENTRIES} entries and
 * {@value #QUEUE_CHARS} characters); when it is full the entry is dropped and counted, never waited for.
 *
 * <p><b>Writing.</b> The writer thread wakes at most every {@value #PACE_MS} ms, takes everything queued, reads the
 * settings' {@link LogPolicy} (once per batch: a change applies to the next request logged, on every node, with
 * no cache to go stale) and stores the batch in one transaction. Pacing bounds the log store's commits (and their
 * disk flushes) to a few a second whatever the traffic. When the policy now keeps less than before, the entries it
 * no longer allows are removed first; after each batch the store is trimmed to its size budget.
 *
 * <p><b>Reading.</b> Every read first {@linkplain #catchUp catches up}: it asks the writer to store what was
 * queued before it and waits for that (at most {@value #CATCH_UP_SECONDS} s), so a list shows every request answered
 * before it. Reads run on the caller's (worker) thread.
 *
 * <p><b>Cleaning up.</b> {@link #cleanup} removes entries older than {@code maxDays} and below {@code minLevel}, and
 * trims the store to its budget; it runs at start (in the background) and every hour as the cron job
 * {@code __pbLogsCleanup__}, on every node (each keeps its own logs).
 */
public final class LogService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogService.class);
    static final int QUEUE_ENTRIES = 1024;
    static final int QUEUE_CHARS = 1 << 20;
    static final long PACE_MS = 200;
    static final long CATCH_UP_SECONDS = 5;

    private final LogStore store;
    private final Supplier<LogPolicy> settings;
    private final ArrayBlockingQueue<RequestLog> queue = new ArrayBlockingQueue<>(QUEUE_ENTRIES);
    private final AtomicLong queuedChars = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final Object tickets = new Object();
    private long requested;
    private long served;
    private volatile LogPolicy policy = LogPolicy.DEFAULT;
    private volatile boolean closing;
    private long seq;
    private final Thread writer;
    private final Thread firstCleanup;

    private LogService(LogStore store, Supplier<LogPolicy> settings) {
        this.store = store;
        this.settings = settings;
        this.writer = Thread.ofPlatform().daemon().name("nanodb-logs").unstarted(this::writeLoop);
        this.firstCleanup = Thread.ofPlatform().daemon().name("nanodb-logs-cleanup").unstarted(this::cleanupLogged);
    }

    /**
     * Starts the writer and a first cleanup in the background; later ones are the caller's (a cron job of every node,
     * {@link #cleanupLogged}).
     *
     * @param settings the settings' current logs policy; read by the writer once per batch and by every cleanup
     */
    public static LogService start(LogStore store, Supplier<LogPolicy> settings) {
        LogService s = new LogService(store, settings);
        s.writer.start();
        s.firstCleanup.start();
        return s;
    }

    /** Hands one answered request over; never blocks (a full queue drops it and counts the drop). */
    public void record(RequestLog log) {
        int weight = log.weight();
        if (closing || queuedChars.addAndGet(weight) > QUEUE_CHARS || !queue.offer(log)) {
            if (!closing) queuedChars.addAndGet(-weight);
            dropped.increment();
        }
    }

    /**
     * Stores everything queued before this call (and applies a changed policy) before returning; blocking, for
     * worker threads. Gives up after {@value #CATCH_UP_SECONDS} s, so a read never hangs on a stuck writer.
     */
    void catchUp() {
        long ticket;
        synchronized (tickets) {
            ticket = ++requested;
        }
        LockSupport.unpark(writer);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
        synchronized (tickets) {
            while (served < ticket && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                try {
                    TimeUnit.NANOSECONDS.timedWait(tickets, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void writeLoop() {
        long pace = TimeUnit.MILLISECONDS.toNanos(PACE_MS);
        long lastBatch = System.nanoTime() - pace;
        while (true) {
            long until = lastBatch + pace;
            while (!pending() && (queue.isEmpty() || System.nanoTime() < until)) {
                LockSupport.parkNanos(queue.isEmpty() ? pace : until - System.nanoTime());
            }
            boolean stop = closing;
            long ticket;
            synchronized (tickets) {
                ticket = requested;
            }
            lastBatch = System.nanoTime();
            writeBatch();
            synchronized (tickets) {
                served = ticket;
                tickets.notifyAll();
            }
            if (stop && queue.isEmpty()) return;
        }
    }

    /** Whether a reader waits for the writer to catch up, or the service is closing. */
    private boolean pending() {
        synchronized (tickets) {
            return requested != served || closing;
        }
    }

    /** One batch: the policy read now, old entries removed if it narrowed, then every queued entry it keeps. */
    private void writeBatch() {
        List<RequestLog> batch = new ArrayList<>(Math.min(queue.size(), QUEUE_ENTRIES));
        queue.drainTo(batch);
        for (RequestLog log : batch) queuedChars.addAndGet(-log.weight());
        try {
            LogPolicy now = refreshPolicy();
            List<LogStore.Entry> kept = new ArrayList<>(batch.size());
            if (now.maxDays() > 0) {
                for (RequestLog log : batch) {
                    if (log.level() < now.minLevel()) continue;
                    String id = LogIds.of(log.created(), seq++);
                    kept.add(new LogStore.Entry(id, log.level(), LogEntries.json(id, log, now)));
                }
            }
            if (!kept.isEmpty()) {
                lost.add(store.append(kept));
                if (store.bytes() > store.budget()) store.trimTo(store.budget() * 9 / 10);
            }
        } catch (RuntimeException e) {
            lost.add(batch.size());
            LOG.warn("{} request log entries could not be stored: {}", batch.size(), e.toString());
        }
    }

    /** Reads the settings' policy; when it now keeps less than before, removes what it no longer allows. */
    private LogPolicy refreshPolicy() {
        LogPolicy before = policy;
        LogPolicy now;
        try {
            now = settings.get();
        } catch (RuntimeException e) {
            return before; // the settings cannot be read now (a database outage): keep logging as before
        }
        policy = now;
        if (now.narrows(before)) cleanup(now);
        return now;
    }

    /**
     * Removes entries older than {@code maxDays} days (all of them when it is 0) and below {@code minLevel}, then
     * trims the store to its budget. Blocking; safe beside the writer. The cron job {@code __pbLogsCleanup__} calls it hourly on every node.
     *
     * @return how many entries were removed
     */
    public long cleanup() {
        LogPolicy now = settings.get();
        policy = now;
        return cleanup(now);
    }

    private long cleanup(LogPolicy p) {
        long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(p.maxDays());
        long removed = store.deleteThrough(LogIds.lastAt(cutoff));
        // Every request is logged at INFO or above: below that there is nothing to remove, and the walk over every
        // entry it would take (a full log at start-up) is skipped.
        if (p.minLevel() > RequestLog.INFO) removed += store.deleteBelow(p.minLevel());
        if (store.bytes() > store.budget()) removed += store.trimTo(store.budget() * 9 / 10);
        return removed;
    }

    /** {@link #cleanup}, its outcome logged and a failure logged instead of thrown (it runs again at its next time). */
    public void cleanupLogged() {
        try {
            long removed = cleanup();
            if (removed > 0) LOG.info("removed {} old request log entries", removed);
        } catch (RuntimeException e) {
            LOG.warn("the request logs cleanup failed (it runs again at its next time): {}", e.toString());
        }
    }

    /** {@code GET /api/logs}: {@code {page, perPage, totalItems, totalPages, items}}. Blocking (a worker's call). */
    public Map<String, Object> list(LogQuery query) {
        catchUp();
        return LogScan.list(store, query).json();
    }

    /** {@code GET /api/logs/{id}}: the entry (only {@code fields} when given), or null when there is none. Blocking. */
    public Object find(String id, Set<String> fields) {
        catchUp();
        return LogScan.one(store, id, LogQuery.parse(null, null, 1, 1, fields, false).fields());
    }

    /** {@code GET /api/logs/stats}: entries per hour matching {@code filter} (checked as a list's). Blocking. */
    public List<Map<String, Object>> stats(String filter) {
        Expr checked = LogQuery.filter(filter);
        catchUp();
        return LogScan.stats(store, checked);
    }

    /**
     * {@code DELETE /api/logs} (the SDK's {@code pb.logs.truncate()}): removes every entry stored or queued before
     * this call. Blocking.
     *
     * @return how many entries were removed
     */
    public long truncate() {
        catchUp();
        return store.deleteThrough(LogIds.LAST);
    }

    /** The figures of {@code /api/stats}: entries queued, dropped (queue full), lost (store refused), stored, bytes. */
    public record Counters(long queued, long dropped, long lost, long stored, long bytes, long budget) {}

    public Counters counters() {
        return new Counters(queue.size(), dropped.sum(), lost.sum(), store.count(), store.bytes(), store.budget());
    }

    LogStore store() {
        return store;
    }

    /** Stores what is queued, stops the threads, closes the store. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(CATCH_UP_SECONDS));
            firstCleanup.join(TimeUnit.SECONDS.toMillis(CATCH_UP_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tickets) {
            tickets.notifyAll();
        }
        store.close();
    }
}
