package dev.nanodb.store.lmdb;

import dev.nanodb.store.StoreException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer, doing group commit: it takes every write job that is waiting, applies each in its own
 * nested transaction (so a job that fails — a version conflict, a unique violation — is rolled back alone), then
 * commits them all with one {@code fsync}. A job's future completes only after that commit returned, which is
 * the durability guarantee; while one commit is syncing, the next group queues up, so throughput grows with
 * concurrency instead of being capped by the disk's sync rate.
 *
 * <p>Durability is pipelined: the environment is opened with {@code MDB_NOMETASYNC}, so a commit fsyncs its
 * data pages and then writes its meta page without syncing it. The next group's commit fsyncs the file again,
 * which also flushes that meta page: only then is the previous group answered. When no next group is waiting,
 * an explicit fsync makes the last group durable. LMDB's ordering (data synced before the meta page that
 * points at it is written) is kept, so a power failure can never corrupt the file; and no write is ever
 * acknowledged before an fsync that covers it. One fsync per group instead of two.
 *
 * <p>An exclusive job (a collection change, whose effect on the catalog is installed after commit) runs in a
 * group of its own and is synced and answered at once, so the catalog change is in place before the next
 * group is applied. When the map is full the whole group is rolled back, the map grown, and the group retried;
 * nothing partial is ever committed.
 */
final class Committer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    private static final int MAX_GROUP = 512;

    /** Work applied inside a (nested) write transaction; its result is handed to the job's future after commit. */
    interface Work<T> {
        T apply(Txn<ByteBuffer> txn);
    }

    private static final class Job<T> {
        final Work<T> work;
        final boolean exclusive;
        final boolean checksFirst;
        /** Runs outside any write transaction (its work gets a null txn), after every earlier write is durable. */
        boolean alone;
        final java.util.function.Consumer<T> afterCommit;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;
        Throwable failure;

        Job(Work<T> work, boolean exclusive, boolean checksFirst, java.util.function.Consumer<T> afterCommit) {
            this.work = work;
            this.exclusive = exclusive;
            this.checksFirst = checksFirst;
            this.afterCommit = afterCommit;
        }

        void run(Txn<ByteBuffer> txn) {
            result = work.apply(txn);
        }

        void finish() {
            if (failure != null) {
                future.completeExceptionally(failure);
                return;
            }
            try {
                if (afterCommit != null) afterCommit.accept(result);
            } catch (Throwable e) {
                LOG.error("after-commit action failed", e);
            }
            future.complete(result);
        }
    }

    private final Lmdb db;
    private final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final boolean durable;
    private volatile boolean running = true;
    final AtomicLong commits = new AtomicLong();
    final AtomicLong jobsCommitted = new AtomicLong();
    final AtomicLong maxGroup = new AtomicLong();

    Committer(Lmdb db, boolean durable) {
        this.db = db;
        this.durable = durable;
        this.thread = Thread.ofPlatform().name("nanodb-committer").daemon(false).start(this::loop);
    }

    /**
     * Queues a job. {@code afterCommit} (may be null) runs on the writer thread once the job is durable, before
     * its future completes, in commit order — the hook for the change feed and catalog updates.
     *
     * @param checksFirst the work throws {@link StoreException} only before its first modification, so it can
     *                    run without a nested transaction (LMDB allocates megabytes for each nested one)
     */
    <T> CompletableFuture<T> submit(Work<T> work, boolean exclusive, boolean checksFirst,
                                    java.util.function.Consumer<T> afterCommit) {
        return enqueue(new Job<>(work, exclusive, checksFirst, afterCommit));
    }

    private <T> CompletableFuture<T> enqueue(Job<T> job) {
        if (!running) {
            job.future.completeExceptionally(new StoreException.Unavailable("The store is closed.", null));
            return job.future;
        }
        queue.add(job);
        return job.future;
    }

    /**
     * Queues work that must run with no write transaction open and no other write interleaved (a restore's
     * swap): every write queued before it is committed, synced and answered first; writes queued after it wait.
     */
    <T> CompletableFuture<T> alone(java.util.function.Supplier<T> work) {
        Job<T> job = new Job<>(txn -> work.get(), true, false, null);
        job.alone = true;
        return enqueue(job);
    }

    private static void runAlone(Job<?> job) {
        try {
            job.run(null);
        } catch (Throwable t) {
            job.failure = t;
        }
        job.finish();
    }

    private void loop() {
        List<Job<?>> pending = new ArrayList<>();
        Job<?> carried = null;
        while (running || !queue.isEmpty() || carried != null || !pending.isEmpty()) {
            List<Job<?>> group = new ArrayList<>();
            try {
                Job<?> first = carried;
                carried = null;
                if (first == null) first = pending.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS) : queue.poll();
                if (first == null) {
                    syncAndFinish(pending);
                    continue;
                }
                if (first.alone) {
                    syncAndFinish(pending);
                    runAlone(first);
                    continue;
                }
                group.add(first);
                if (!first.exclusive) {
                    Job<?> next;
                    while (group.size() < MAX_GROUP && (next = queue.poll()) != null) {
                        if (next.exclusive) {
                            carried = next;
                            break;
                        }
                        group.add(next);
                    }
                }
                boolean wrote = commitGroup(group);
                if (!pending.isEmpty()) {
                    if (!wrote) db.env.sync(true);
                    finishAll(pending);
                }
                for (Job<?> j : group) {
                    if (j.failure != null) j.finish();
                    else pending.add(j);
                }
                if (!durable) finishAll(pending);
                else if (first.exclusive) syncAndFinish(pending);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.error("commit loop failure", t);
                for (Job<?> j : group) {
                    if (j.failure != null) j.finish();
                    else if (!pending.contains(j)) pending.add(j);
                }
                failAll(pending, unsynced(t));
                pending.clear();
            }
        }
    }

    /** Makes the committed-but-unsynced group durable with one fsync, then answers it. */
    private void syncAndFinish(List<Job<?>> pending) {
        if (pending.isEmpty()) return;
        try {
            db.env.sync(true);
        } catch (RuntimeException e) {
            LOG.error("fsync failed; {} committed writes may not be durable", pending.size(), e);
            failAll(pending, unsynced(e));
            pending.clear();
            return;
        }
        finishAll(pending);
    }

    /**
     * The failure of writes that were committed but whose fsync failed: they are visible to readers and may or may
     * not survive a crash, so the answer must not claim they were not applied (a client re-reads before retrying).
     */
    private StoreException unsynced(Throwable t) {
        StoreException cause = LmdbErrors.translate(t, db.dir);
        if (!(cause instanceof StoreException.StorageFull)) return cause;
        return new StoreException.StorageFull("The storage is full; the write could not be confirmed on disk and may or"
                + " may not be stored: read it back before retrying.", t);
    }

    private static void finishAll(List<Job<?>> jobs) {
        for (Job<?> j : jobs) j.finish();
        jobs.clear();
    }

    /**
     * Applies and commits a group (growing the map and retrying when it is full). Failed jobs carry their
     * failure; the others are committed but not yet answered.
     *
     * @return whether the commit wrote anything (an empty commit does not fsync)
     */
    private boolean commitGroup(List<Job<?>> group) {
        while (true) {
            try {
                applyAndCommit(group);
                commits.incrementAndGet();
                jobsCommitted.addAndGet(group.size());
                maxGroup.accumulateAndGet(group.size(), Math::max);
                for (Job<?> j : group) {
                    if (j.failure == null) return true;
                }
                return false;
            } catch (Env.MapFullException | GrowNeeded full) {
                if (!db.grow()) {
                    for (Job<?> j : group) j.failure = new StoreException.StorageFull(full);
                    return false;
                }
                LOG.info("grew the LMDB map to {} MiB", db.mapSize() >> 20);
            } catch (RuntimeException | Error t) {
                LOG.error("write group of {} failed", group.size(), t);
                StoreException failure = LmdbErrors.translate(t, db.dir);
                for (Job<?> j : group) j.failure = failure;
                return false;
            }
        }
    }

    private void applyAndCommit(List<Job<?>> group) {
        try (Txn<ByteBuffer> txn = db.env.txnWrite()) {
            for (Job<?> j : group) {
                j.result = null;
                j.failure = null;
                if (j.checksFirst) {
                    try {
                        j.run(txn);
                    } catch (StoreException e) {
                        j.failure = e;
                    }
                    continue;
                }
                try (Txn<ByteBuffer> child = db.env.txn(txn)) {
                    j.run(child);
                    child.commit();
                } catch (Env.MapFullException full) {
                    throw full;
                } catch (StoreException e) {
                    j.failure = e;
                } catch (RuntimeException | Error e) {
                    if (isMapFull(e)) throw new GrowNeeded();
                    LOG.error("write job failed", e);
                    j.failure = LmdbErrors.translate(e, db.dir);
                }
            }
            txn.commit();
        }
    }

    /** Signals that the group must be rolled back and retried on a larger map. */
    private static final class GrowNeeded extends RuntimeException {
        GrowNeeded() {
            super("map full", null, false, false);
        }
    }

    private static boolean isMapFull(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Env.MapFullException) return true;
        }
        return false;
    }

    private static void failAll(List<Job<?>> group, StoreException e) {
        for (Job<?> j : group) {
            j.failure = e;
            j.result = null;
            j.finish();
        }
    }

    /** Stops taking jobs, finishes everything already queued, and returns when the writer has stopped. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
