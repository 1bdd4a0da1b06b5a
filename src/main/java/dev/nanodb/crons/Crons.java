package dev.nanodb.crons;

import dev.nanodb.store.Nodes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of named jobs, PocketBase's {@code app.Cron()}: each job has an id and a cron expression
 * ({@link CronSchedule}, UTC); at every whole minute one ticker thread starts the jobs due then, each on a worker
 * thread, so a long job delays neither the ticker nor the other jobs (and none runs on an event loop).
 *
 * <p>Invariants: a job never overlaps itself — a tick or a "run now" that finds it running is skipped (logged),
 * never queued; a job that throws is logged and runs again at its next tick; on a store several nodes share
 * ({@link Nodes.Membership}) a job runs only under a claim of the store, so of the nodes ticking the same minute
 * exactly one runs it and none while another runs it. A job whose expression is read at each use (a setting) and
 * is blank is disabled: not listed and never run.
 */
public final class Crons implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Crons.class);

    /** A job as {@code GET /api/crons} lists it. */
    public record Job(String id, String expression) {}

    /** @param everyNode the job works on what each node keeps for itself, so every node runs it, unclaimed */
    private record Entry(String id, Supplier<String> expression, Runnable task, AtomicBoolean running, boolean everyNode) {}

    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private final Map<String, CronSchedule> parsed = new ConcurrentHashMap<>();
    private final Nodes.Membership node;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("nanodb-cron").factory());
    private final ExecutorService workers = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("nanodb-cron-job-", 0).factory());

    /**
     * @param node  this node's registration in a store several nodes share, or null when this process is alone
     * @param clock the time ticks follow (tests pass their own)
     */
    public Crons(Nodes.Membership node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /**
     * Adds (or replaces) a job with a fixed expression.
     *
     * @throws IllegalArgumentException when the expression is not valid
     */
    public void register(String id, String expression, Runnable task) {
        CronSchedule.parse(expression);
        register(id, () -> expression, task);
    }

    /** Adds (or replaces) a job whose expression is read at each tick and each listing; blank disables it. */
    public void register(String id, Supplier<String> expression, Runnable task) {
        jobs.put(id, new Entry(id, expression, task, new AtomicBoolean(), false));
    }

    /**
     * Adds (or replaces) a job over what each node keeps for itself (its request logs): it runs on every node at
     * each of its ticks, without a claim.
     *
     * @throws IllegalArgumentException when the expression is not valid
     */
    public void registerOnEachNode(String id, String expression, Runnable task) {
        CronSchedule.parse(expression);
        jobs.put(id, new Entry(id, () -> expression, task, new AtomicBoolean(), true));
    }

    /** Starts ticking at the next whole minute. */
    public void start() {
        scheduleNext();
    }

    /** The enabled jobs, by id. */
    public List<Job> jobs() {
        List<Job> out = new ArrayList<>();
        for (Entry e : jobs.values()) schedule(e).ifPresent(s -> out.add(new Job(e.id(), s.expression())));
        out.sort(Comparator.comparing(Job::id));
        return out;
    }

    /**
     * Starts an enabled job now, in the background (PocketBase's "run"), unless it is running here or on another
     * node.
     *
     * @return empty when no enabled job has this id; else completes, once the job ended, with whether this node ran it
     */
    public Optional<CompletableFuture<Boolean>> run(String id) {
        Entry e = jobs.get(id);
        if (e == null || schedule(e).isEmpty()) return Optional.empty();
        return Optional.of(launch(e, null).thenApply(ran -> ran != null));
    }

    /**
     * What the ticker does at each whole minute: starts every enabled job due at {@code minute}.
     *
     * @return completes, once those jobs ended, with the ids of the jobs this node ran (tests read it)
     */
    public CompletableFuture<List<String>> tick(Instant minute) {
        Instant due = minute.truncatedTo(ChronoUnit.MINUTES);
        List<CompletableFuture<String>> started = new ArrayList<>();
        for (Entry e : jobs.values()) {
            if (schedule(e).filter(s -> s.due(due)).isPresent()) started.add(launch(e, due));
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .thenApply(v -> started.stream().map(CompletableFuture::join).filter(id -> id != null).sorted().toList());
    }

    /** @return completes with the job's id when this node ran it, null when it was skipped */
    private CompletableFuture<String> launch(Entry e, Instant due) {
        if (!e.running().compareAndSet(false, true)) {
            LOG.info("cron job {} is still running: this {} is skipped", e.id(), due == null ? "run" : "tick");
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.supplyAsync(() -> runClaimed(e, due), workers)
                    .whenComplete((id, failure) -> e.running().set(false));
        } catch (RuntimeException rejected) {
            e.running().set(false);
            return CompletableFuture.completedFuture(null);
        }
    }

    private String runClaimed(Entry e, Instant due) {
        Nodes.Claim claim = null;
        try {
            if (node != null && !e.everyNode()) {
                claim = node.claim(e.id(), due);
                if (claim == null) return null;
            }
            e.task().run();
            return e.id();
        } catch (RuntimeException failure) {
            LOG.warn("cron job {} failed (it runs again at its next time)", e.id(), failure);
            return e.id();
        } finally {
            if (claim != null) claim.close();
        }
    }

    /** The job's schedule now; empty when it is disabled (blank) or its expression does not parse (logged). */
    private Optional<CronSchedule> schedule(Entry e) {
        String expression;
        try {
            expression = e.expression().get();
        } catch (RuntimeException failure) {
            LOG.warn("the schedule of cron job {} could not be read: {}", e.id(), failure.toString());
            return Optional.empty();
        }
        if (expression == null || expression.isBlank()) return Optional.empty();
        try {
            if (parsed.size() > 64) parsed.clear(); // expressions of settings changed long ago
            return Optional.of(parsed.computeIfAbsent(expression, CronSchedule::parse));
        } catch (IllegalArgumentException invalid) {
            LOG.warn("cron job {} has an invalid expression and does not run: {}", e.id(), invalid.getMessage());
            return Optional.empty();
        }
    }

    private void scheduleNext() {
        long now = clock.millis();
        long next = (now / 60_000 + 1) * 60_000;
        try {
            ticker.schedule(() -> {
                tick(Instant.ofEpochMilli(next));
                scheduleNext();
            }, next - now, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the scheduler was closed
        }
    }

    /** Stops ticking and waits up to 10 s for the jobs running now (a backup may take longer: it is not interrupted). */
    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("cron jobs still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
