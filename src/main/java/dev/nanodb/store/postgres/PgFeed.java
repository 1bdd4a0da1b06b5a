package dev.nanodb.store.postgres;

import dev.nanodb.json.Json;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.ChangeListeners;
import dev.nanodb.store.CollectionCodec;
import dev.nanodb.store.CollectionDef;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the cross-node {@link ChangeLog}: what a transaction appends, and the one path by which
 * changes reach the store's {@link ChangeListener}s — the log's listener, for this node's writes and every other
 * node's alike. So every node publishes the same transactions in the same (global commit) order, each once,
 * with {@link Change#seq} = the log's seq, and a record rebuilt from the log equal to what {@code get} returns.
 *
 * <p><b>Collection definitions</b> travel through the log too, as rows of the reserved collection
 * {@link #CATALOG} (not a valid collection name, so never a user's): the row of a save carries the definition,
 * the row of a delete only the id. Every node, this one included, installs or drops the definition when that
 * row is delivered, so each node's cache follows the same order of definition changes; such rows are never
 * published to listeners.
 *
 * <p><b>What a write's future waits for.</b> Until this node's listener has delivered the transaction (its last
 * seq is at most the delivered watermark), and it yields the very changes the listeners received: the contract
 * tests and the realtime hub rely on "my listeners have seen my write once my future completes". A write whose
 * delivery takes longer than {@link #DELIVERY_TIMEOUT} (listener disconnected) completes anyway — it is durable —
 * with its own changes numbered from the log's seqs; its listeners see it once the listener has caught up.
 * Futures therefore usually complete on the listener's thread (as LMDB's complete on its committer thread):
 * a caller must hand work off and never block on another write there, or this node's feed stalls until the
 * timeout.
 *
 * <p><b>Pruning.</b> Rows older than {@link #KEEP} are deleted every {@link #PRUNE_EVERY} by every node (idempotent).
 * A listener away for longer than {@link #KEEP} cannot replay what was pruned: it logs an error naming the lost
 * seqs and resumes after them; its realtime subscribers may have missed those changes.
 */
final class PgFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgFeed.class);
    /** The reserved collection name of catalogue rows. */
    static final String CATALOG = "nanodb:collections";
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    static final Duration KEEP = Duration.ofMinutes(10);
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final ChangeLog log;
    private final PgCatalog catalog;
    /** This store instance's name in the log: each open store is its own node, even two in one JVM. */
    private final String node = UUID.randomUUID().toString();
    private final ChangeListeners listeners = new ChangeListeners();
    /** Writes of this node waiting for their delivery, by the last seq of their transaction. */
    private final Map<Long, CompletableFuture<List<Change>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("nanodb-changelog-prune").factory());

    PgFeed(DataSource pool, String schema, ChangeLog.ConnectionFactory listenerConnections, PgCatalog catalog) {
        this.log = new ChangeLog(pool, schema, listenerConnections);
        this.catalog = catalog;
    }

    /** Starts listening after everything committed so far (the catalogue was loaded before), and pruning. */
    void start() throws SQLException {
        log.start(log.latestSeq(), this::deliver, through ->
                LOG.error("changes up to seq {} were pruned before this node read them; they are lost to its listeners", through));
        long every = PRUNE_EVERY.toMillis();
        pruner.scheduleWithFixedDelay(this::prune, every, every, TimeUnit.MILLISECONDS);
    }

    void addListener(ChangeListener l) {
        listeners.add(l);
    }

    /** Takes the cluster-wide commit lock: the first statement of every writing transaction ({@link ChangeLog}). */
    void lockWrites(Connection tx) throws SQLException {
        log.lockWrites(tx);
    }

    /** Appends a write's changes inside its transaction, as its last statement; the last seq, or 0 if none. */
    long appendChanges(Connection tx, List<Change> changes) throws SQLException {
        List<ChangeLog.Row> rows = new ArrayList<>(changes.size());
        for (Change c : changes) {
            rows.add(ChangeLog.Row.of(c.action(), c.collectionId(), c.collection(), c.record().id(),
                    c.record().version(), Rows.toLog(c.record())));
        }
        return log.append(tx, node, rows);
    }

    /**
     * Appends the deletion of the collections {@code deletes}, then the saving of the definitions {@code saves}, inside
     * their transaction, as its last statement.
     */
    long appendCatalog(Connection tx, List<CollectionDef> saves, List<String> deletes) throws SQLException {
        List<ChangeLog.Row> rows = new ArrayList<>(saves.size() + deletes.size());
        for (String id : deletes) rows.add(ChangeLog.Row.of(Change.Action.DELETE, id, CATALOG, id, 0, "{}"));
        for (CollectionDef def : saves) {
            String json = new String(Json.write(CollectionCodec.toMap(def)), StandardCharsets.UTF_8);
            rows.add(ChangeLog.Row.of(Change.Action.UPDATE, def.id(), CATALOG, def.id(), 0, json));
        }
        return log.append(tx, node, rows);
    }

    /**
     * Completes once this node's listener has delivered the transaction ending at {@code lastSeq}, with the
     * changes it published; after {@link #DELIVERY_TIMEOUT}, with {@code fallback} instead. Call after COMMIT.
     */
    CompletableFuture<List<Change>> delivered(long lastSeq, List<Change> fallback) {
        CompletableFuture<List<Change>> f = new CompletableFuture<>();
        waiting.put(lastSeq, f);
        // the listener may have passed lastSeq before the put: then nobody else will complete f
        if (log.lastDeliveredSeq() >= lastSeq && waiting.remove(lastSeq, f)) f.complete(fallback);
        f.completeOnTimeout(fallback, DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> waiting.remove(lastSeq, f));
        return f;
    }

    /** A write's changes numbered from the log, as the listeners will see them (for {@link #delivered}'s fallback). */
    static List<Change> numbered(List<Change> changes, long lastSeq) {
        List<Change> out = new ArrayList<>(changes.size());
        long seq = lastSeq - changes.size();
        for (Change c : changes) {
            out.add(new Change(++seq, c.action(), c.collectionId(), c.collection(), c.record()));
        }
        return out;
    }

    /** The sink of the log's listener: one committed transaction of any node. */
    private void deliver(List<ChangeLog.Row> rows) {
        List<Change> changes = new ArrayList<>(rows.size());
        try {
            for (ChangeLog.Row r : rows) {
                if (CATALOG.equals(r.collection())) {
                    applyCatalogRow(r);
                } else {
                    changes.add(new Change(r.seq(), r.action(), r.collectionId(), r.collection(), Rows.fromLog(r.recordJson())));
                }
            }
            if (!changes.isEmpty()) listeners.publish(changes);
        } finally {
            CompletableFuture<List<Change>> w = waiting.remove(rows.get(rows.size() - 1).seq());
            if (w != null) w.complete(List.copyOf(changes));
        }
    }

    private void applyCatalogRow(ChangeLog.Row r) {
        if (r.action() == Change.Action.DELETE) {
            catalog.uninstall(r.collectionId());
        } else {
            catalog.install(CollectionCodec.fromMap(Json.parseStored(r.recordJson().getBytes(StandardCharsets.UTF_8))));
        }
    }


    private void prune() {
        try {
            log.prune(KEEP);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("change log not pruned ({}); retrying later", e.getMessage());
        }
    }

    /** Lets the listener deliver the writes still waiting (for a few seconds at most), then stops it. */
    @Override
    public void close() {
        pruner.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!waiting.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.close();
    }
}
