package dev.nanodb.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nanodb.filter.Expr;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Nodes;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.StoreStats;
import dev.nanodb.store.WriteOp;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out store: PostgreSQL through a HikariCP pool; see the package documentation for the layout and
 * the write path. Reads run on the calling thread; writes on a bounded executor of {@code poolSize} threads.
 * The schema (and so the search path) comes from the constructor: {@code public} in production.
 */
public final class PostgresStore implements Store, Nodes {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

    private final HikariDataSource db;
    private final PgCatalog catalog;
    private final PgWriter writer;
    private final ExecutorService writers;
    private final PgFeed feed;
    private final Analyzer analyzer;
    private final PgNodes nodes;
    private final Queue<WriteGroup.Pending> queued = new ConcurrentLinkedQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong writesCommitted = new AtomicLong();
    private final AtomicLong maxGroup = new AtomicLong();
    /** Stays empty: PostgreSQL builds indexes in one statement and backups are the database's own tools. */
    private final Operations operations = new Operations();

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
        this.feed = new PgFeed(db, schema, () -> url.listenerConnection(schema), catalog);
        this.analyzer = new Analyzer(db);
        this.nodes = new PgNodes(db);
        this.writers = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "nanodb-pg-writer");
            t.setDaemon(true);
            return t;
        });
        try (Connection c = db.getConnection()) {
            Migrations.run(c, schema);
            catalog.load(c);
            feed.start();
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
        return applyCollections(List.of(def), List.of()).thenApply(done -> def);
    }

    @Override
    public CompletableFuture<Void> deleteCollection(String collectionId) {
        return applyCollections(List.of(), List.of(collectionId));
    }

    /** One SQL transaction; the change log carries the deletes, then the saves, so every node installs them so. */
    @Override
    public CompletableFuture<Void> applyCollections(List<CollectionDef> saves, List<String> deletes) {
        List<CollectionDef> s = List.copyOf(saves);
        List<String> d = List.copyOf(deletes);
        return transaction(c -> {
            catalog.apply(c, s, d);
            return null;
        }, (c, done) -> feed.appendCatalog(c, s, d)).thenApply(done -> null);
    }

    @Override
    public Optional<Record> get(String collection, String id) {
        CollectionDef def = catalog.require(collection);
        return read(c -> PgReader.get(c, def, id));
    }

    @Override
    public java.util.Map<String, Record> getAll(String collection, java.util.Collection<String> ids) {
        return read(c -> PgReader.getAll(c, catalog.require(collection), ids));
    }

    @Override
    public List<String> ids(String collection, Expr filter, int limit) {
        return read(c -> PgReader.ids(c, catalog.require(collection), filter, limit));
    }

    @Override
    public Page query(Query query) {
        CollectionDef def = catalog.require(query.collection());
        return read(c -> PgReader.query(c, def, catalog.counted(def.id()), query));
    }

    @Override
    public long count(String collection, Expr filter) {
        CollectionDef def = catalog.require(collection);
        return read(c -> PgReader.count(c, def, catalog.counted(def.id()), filter));
    }

    /** Always empty: every query costs a round trip to the database, so none is cheap enough for an event loop. */
    @Override
    public Optional<Page> queryBounded(Query query) {
        catalog.require(query.collection());
        return Optional.empty();
    }

    /**
     * Queues the call and hands a writer thread the job of committing what is queued ({@link WriteGroup}): while
     * every writer is busy, calls pile up and the next free writer commits them together.
     */
    @Override
    public CompletableFuture<List<Change>> write(List<WriteOp> ops) {
        WriteGroup.Pending call = new WriteGroup.Pending(List.copyOf(ops), new CompletableFuture<>());
        queued.add(call);
        try {
            writers.execute(this::commitQueued);
        } catch (RejectedExecutionException e) {
            if (queued.remove(call)) call.future().completeExceptionally(new StoreException.Unavailable("The store is closed.", e));
        }
        return call.future();
    }

    /**
     * Commits what is queued once this thread holds the commit lock, so a group takes every call that queued while
     * the previous transaction ran. A failure before the group was taken fails what is queued (its calls might
     * otherwise wait for a writer that never comes).
     */
    private void commitQueued() {
        if (queued.isEmpty()) return;
        WriteGroup[] taken = new WriteGroup[1];
        Attempt<List<Change>> done;
        for (int attempt = 1; ; attempt++) {
            try {
                done = attempt(c -> {
                    if (taken[0] == null) taken[0] = WriteGroup.drain(queued);
                    return taken[0].run(c, writer, this::translate);
                }, feed::appendChanges);
                break;
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && retryable(e)) continue;
                failGroup(taken[0], e);
                return;
            } catch (WriteGroup.OneCallFailed e) {
                attempt--; // not a retry of the same work: the group runs again with savepoints
            } catch (Throwable e) {
                failGroup(taken[0], e);
                return;
            }
        }
        // committed: from here on nothing may answer these calls with an error
        WriteGroup group = taken[0];
        if (group.isEmpty()) return;
        commits.incrementAndGet();
        writesCommitted.addAndGet(done.result().size());
        maxGroup.accumulateAndGet(done.result().size(), Math::max);
        analyzer.committed(done.result());
        if (done.lastSeq() == 0) {
            group.complete(done.result(), done.result());
        } else {
            List<Change> own = PgFeed.numbered(done.result(), done.lastSeq());
            feed.delivered(done.lastSeq(), own).thenAccept(published -> group.complete(published, own));
        }
    }

    private void failGroup(WriteGroup group, Throwable e) {
        (group != null ? group : WriteGroup.drain(queued)).fail(translate(e));
    }

    private StoreException translate(Throwable e) {
        return PgErrors.translate(e, catalog::fieldOfIndex);
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Appends {@code result}'s rows to the change log inside the transaction; the last seq, or 0 for none. */
    private interface Append<T> {
        long run(Connection c, T result) throws SQLException;
    }

    /**
     * A committed transaction: what its work returned and, once this node's listener has delivered it, the changes
     * the listeners received (null when it appended nothing).
     */
    private record Committed<T>(T result, List<Change> published) {}

    /**
     * Runs {@code work} and then {@code append} (the change log's rows, the last statement) in one SQL transaction
     * on a writer thread, and completes once this node has delivered it to its listeners ({@link PgFeed#delivered}),
     * without holding the writer thread meanwhile. Every attempt first takes the log's commit lock, which
     * serialises writers across nodes and so rules out deadlocks among them; a transaction that PostgreSQL still
     * aborts as a deadlock victim or a serialisation failure (against a writer outside NanoDB) is run again from the start, up to
     * {@link #ATTEMPTS} times: it applied nothing, and the caller's functions are side-effect free by contract.
     */
    private <T> CompletableFuture<Committed<T>> transaction(Work<T> work, Append<T> append) {
        CompletableFuture<Committed<T>> f = new CompletableFuture<>();
        try {
            writers.execute(() -> {
                for (int attempt = 1; ; attempt++) {
                    try {
                        committed(attempt(work, append), f);
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

    /** A deadlock victim or a serialisation failure: the transaction applied nothing and may run again. */
    static boolean retryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private record Attempt<T>(T result, long lastSeq) {}

    private <T> Attempt<T> attempt(Work<T> work, Append<T> append) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                feed.lockWrites(c);
                T result = work.run(c);
                long lastSeq = append.run(c, result);
                c.commit();
                return new Attempt<>(result, lastSeq);
            } catch (Throwable e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void committed(Attempt<T> a, CompletableFuture<Committed<T>> f) {
        if (a.lastSeq() == 0) {
            f.complete(new Committed<>(a.result(), null));
            return;
        }
        List<Change> own = a.result() instanceof List<?> l ? PgFeed.numbered((List<Change>) l, a.lastSeq()) : List.of();
        feed.delivered(a.lastSeq(), own).thenAccept(published -> f.complete(new Committed<>(a.result(), published)));
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
        feed.addListener(listener);
    }

    /** See {@link PgSecrets#getOrCreate}. */
    @Override
    public String sharedSecret(String name, Supplier<String> generate) {
        return read(c -> PgSecrets.getOrCreate(c, name, generate));
    }

    /** See {@link PgNodes}. */
    @Override
    public Membership join(String storage, Admission admission) {
        try {
            return nodes.join(storage, admission);
        } catch (Refused e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw PgErrors.translate(e, catalog::fieldOfIndex);
        }
    }

    @Override
    public Operations operations() {
        return operations;
    }

    @Override
    public StoreStats stats() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (CollectionDef c : collections()) counts.put(c.name(), count(c.name(), null));
        long size = read(PgReader::schemaSize);
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

    /**
     * Ends this node's registration, finishes every write already accepted, stops the change log listener, then
     * closes the pool.
     */
    @Override
    public void close() {
        nodes.close();
        writers.shutdown();
        try {
            if (!writers.awaitTermination(60, TimeUnit.SECONDS)) LOG.warn("writes still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feed.close();
        analyzer.close();
        db.close();
    }
}
