package dev.nanodb.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nanodb.filter.Expr;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.StoreStats;
import dev.nanodb.store.WriteOp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out store: PostgreSQL through a HikariCP pool; see the package documentation for the layout and
 * the write path. Reads run on the calling thread; writes on a bounded executor of {@code poolSize} threads.
 * The schema (and so the search path) comes from the constructor: {@code public} in production.
 */
public final class PostgresStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

    private final HikariDataSource db;
    private final PgCatalog catalog;
    private final PgWriter writer;
    private final ExecutorService writers;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Object commitOrder = new Object();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong writesCommitted = new AtomicLong();
    private final AtomicLong maxGroup = new AtomicLong();

    /**
     * Connects, creates {@code schema} if needed and brings it up to date.
     *
     * @param url      a {@link DatabaseUrl}
     * @param schema   where NanoDB's tables live ({@code public} in production; tests use one per store)
     * @param poolSize threads that run writes; the pool holds twice as many connections, so reads never wait
     *                 behind a full set of writers
     */
    public PostgresStore(DatabaseUrl url, String schema, int poolSize) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) throw new IllegalArgumentException("invalid schema name");
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) cfg.setUsername(url.user());
        if (url.password() != null) cfg.setPassword(url.password());
        cfg.setMaximumPoolSize(2 * poolSize);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(10_000);
        cfg.setPoolName("nanodb-pg");
        cfg.setConnectionInitSql("SET search_path TO \"" + schema + "\"");
        try {
            this.db = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new StoreException.Unavailable("Cannot connect to the database.", e);
        }
        this.catalog = new PgCatalog(db);
        this.writer = new PgWriter(catalog);
        this.writers = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "nanodb-pg-writer");
            t.setDaemon(true);
            return t;
        });
        try (Connection c = db.getConnection()) {
            Migrations.run(c, schema);
            catalog.load(c);
        } catch (SQLException | RuntimeException e) {
            close();
            throw PgErrors.translate(e, catalog::fieldOfIndex);
        }
    }

    @Override
    public List<CollectionDef> collections() {
        List<CollectionDef> out = catalog.all();
        out.sort(Comparator.comparing(CollectionDef::created).thenComparing(CollectionDef::name));
        return out;
    }

    @Override
    public Optional<CollectionDef> collection(String name) {
        return catalog.find(name);
    }

    @Override
    public CompletableFuture<CollectionDef> saveCollection(CollectionDef def) {
        return transaction(c -> {
            catalog.save(c, def);
            return def;
        }, (c, d) -> catalog.install(d));
    }

    @Override
    public CompletableFuture<Void> deleteCollection(String collectionId) {
        return transaction(c -> {
            catalog.delete(c, collectionId);
            return null;
        }, (c, v) -> catalog.uninstall(collectionId));
    }

    @Override
    public Optional<Record> get(String collection, String id) {
        CollectionDef def = catalog.require(collection);
        return read(c -> PgReader.get(c, def, id));
    }

    @Override
    public Page query(Query query) {
        CollectionDef def = catalog.require(query.collection());
        return read(c -> PgReader.query(c, def, query));
    }

    @Override
    public long count(String collection, Expr filter) {
        CollectionDef def = catalog.require(collection);
        return read(c -> PgReader.count(c, def, filter));
    }

    /** Always empty: every query costs a round trip to the database, so none is cheap enough for an event loop. */
    @Override
    public Optional<Page> queryBounded(Query query) {
        catalog.require(query.collection());
        return Optional.empty();
    }

    @Override
    public CompletableFuture<List<Change>> write(List<WriteOp> ops) {
        List<WriteOp> copy = List.copyOf(ops);
        return transaction(c -> writer.apply(c, copy), (c, changes) -> {
            commits.incrementAndGet();
            writesCommitted.addAndGet(changes.size());
            maxGroup.accumulateAndGet(changes.size(), Math::max);
        });
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private interface AfterCommit<T> {
        void run(Connection c, T result);
    }

    /**
     * Runs {@code work} in one SQL transaction on a writer thread. COMMIT, {@code after} and the publication of
     * a write's changes happen under {@link #commitOrder}, which fixes the order listeners see and the seq numbers.
     * A transaction that PostgreSQL aborts as a deadlock victim (two batches locking rows in opposite orders) or a
     * serialisation failure is run again from the start, up to {@link #ATTEMPTS} times: it applied nothing, and the
     * caller's functions are side-effect free by contract.
     */
    private <T> CompletableFuture<T> transaction(Work<T> work, AfterCommit<T> after) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            writers.execute(() -> {
                for (int attempt = 1; ; attempt++) {
                    try {
                        f.complete(attempt(work, after));
                        return;
                    } catch (SQLException e) {
                        if (attempt < ATTEMPTS && retryable(e)) continue;
                        f.completeExceptionally(PgErrors.translate(e, catalog::fieldOfIndex));
                        return;
                    } catch (Throwable e) {
                        f.completeExceptionally(PgErrors.translate(e, catalog::fieldOfIndex));
                        return;
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new StoreException.Unavailable("The store is closed.", e));
        }
        return f;
    }

    private static final int ATTEMPTS = 5;

    private static boolean retryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private <T> T attempt(Work<T> work, AfterCommit<T> after) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                synchronized (commitOrder) {
                    c.commit();
                    after.run(c, result);
                    return numberAndPublish(result);
                }
            } catch (Throwable e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T numberAndPublish(T result) {
        if (!(result instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Change)) return result;
        List<Change> numbered = new ArrayList<>(list.size());
        for (Object o : list) {
            Change ch = (Change) o;
            numbered.add(new Change(seq.incrementAndGet(), ch.action(), ch.collectionId(), ch.collection(), ch.record()));
        }
        publish(numbered);
        return (T) numbered;
    }

    /**
     * Hands one committed transaction's changes to every listener, in commit order (the caller holds
     * {@link #commitOrder}). A listener that throws is logged and skipped.
     */
    private void publish(List<Change> changes) {
        for (ChangeListener l : listeners) {
            try {
                l.onCommit(changes);
            } catch (Throwable e) {
                LOG.error("change listener failed", e);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it and the server rolls the transaction back
        }
    }

    @Override
    public void addChangeListener(ChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public StoreStats stats() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (CollectionDef c : collections()) counts.put(c.name(), count(c.name(), null));
        long size = read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = current_schema() AND c.relkind = 'r'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        return new StoreStats(counts, size, commits.get(), writesCommitted.get(), maxGroup.get());
    }

    @Override
    public ConsistencyReport check() {
        List<CollectionDef> defs = catalog.all();
        return read(c -> PgReader.check(c, defs));
    }

    private <R> R read(Work<R> body) {
        try (Connection c = db.getConnection()) {
            return body.run(c);
        } catch (SQLException | RuntimeException e) {
            throw PgErrors.translate(e, catalog::fieldOfIndex);
        }
    }

    /** Finishes every write already accepted, then closes the pool. */
    @Override
    public void close() {
        writers.shutdown();
        try {
            if (!writers.awaitTermination(60, TimeUnit.SECONDS)) LOG.warn("writes still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
