package dev.nanodb.store.lmdb;

import dev.nanodb.filter.Expr;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.ChangeListeners;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Snapshots;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.StoreStats;
import dev.nanodb.store.WriteOp;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.lmdbjava.Txn;

/**
 * The embedded store: LMDB (memory-mapped B+tree, one writer, lock-free readers) with secondary indexes,
 * exact counters and durable group commit. See {@link Lmdb} for the layout and {@link Committer} for the
 * write path.
 */
public final class LmdbStore implements Store, Snapshots {

    private final File dir;
    private final Lmdb db;
    private final RecordWriter writer;
    private final Catalog catalog;
    private final QueryRunner queries;
    private final Committer committer;
    private final ChangeListeners listeners = new ChangeListeners();
    private final Operations operations = new Operations();
    private final LmdbSnapshots snapshots;
    private final AtomicLong seq = new AtomicLong();

    /**
     * @param durable false only for the explicit relaxed mode: commits are not fsync'd, so the last writes may be
     *                lost on a power failure (never on a process crash)
     */
    public LmdbStore(File dir, long initialMapSize, long maxMapSize, boolean durable) {
        this.dir = dir;
        try {
            this.db = new Lmdb(dir, initialMapSize, maxMapSize, durable);
        } catch (RuntimeException e) {
            throw LmdbErrors.translate(e);
        }
        this.writer = new RecordWriter(db);
        this.catalog = new Catalog(db, writer, operations);
        this.queries = new QueryRunner(db);
        catalog.load();
        this.committer = new Committer(db, durable);
        this.snapshots = new LmdbSnapshots(db, catalog, committer, listeners, operations);
    }

    /**
     * Whether another process has this data folder open (a running server): LMDB holds a shared lock on the first
     * byte of {@code lock.mdb} while an environment is open, so an exclusive try-lock fails. Call it only from a
     * process that has not opened the folder itself — closing the probe would drop that process's own lock.
     */
    public static boolean inUse(File dir) {
        Path lock = dir.toPath().resolve("lock.mdb");
        if (!Files.exists(lock)) return false;
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock held = ch.tryLock(0, 1, false)) {
            return held == null;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            throw new StoreException.Unavailable("The data folder's lock file cannot be read.", e);
        }
    }

    @Override
    public List<CollectionDef> collections() {
        List<CollectionDef> out = new ArrayList<>();
        for (StoredCollection sc : catalog.all()) out.add(sc.def());
        out.sort(java.util.Comparator.comparing(CollectionDef::created).thenComparing(CollectionDef::name));
        return out;
    }

    @Override
    public Optional<CollectionDef> collection(String name) {
        return catalog.byName(name).or(() -> catalog.byId(name)).map(StoredCollection::def);
    }

    @Override
    public CompletableFuture<CollectionDef> saveCollection(CollectionDef def) {
        return committer.submit(txn -> catalog.save(txn, def), true, false, catalog::install).thenApply(StoredCollection::def);
    }

    @Override
    public CompletableFuture<Void> deleteCollection(String collectionId) {
        return committer.submit(txn -> catalog.delete(txn, collectionId), true, false, catalog::uninstall)
                .thenApply(sc -> null);
    }

    /** One exclusive job: the whole change commits in one LMDB transaction, and readers see it only after. */
    @Override
    public CompletableFuture<Void> applyCollections(List<CollectionDef> saves, List<String> deletes) {
        List<CollectionDef> s = List.copyOf(saves);
        List<String> d = List.copyOf(deletes);
        return committer.submit(txn -> catalog.apply(txn, s, d), true, false, catalog::installApplied).thenApply(a -> null);
    }

    @Override
    public Optional<Record> get(String collection, String id) {
        StoredCollection sc = catalog.require(collection);
        byte[] key = IndexKeys.record(sc.tag(), id);
        if (key.length > IndexKeys.MAX_KEY) return Optional.empty();
        return read(txn -> {
            ByteBuffer v = db.records.get(txn, Lmdb.keyA(key));
            return v == null ? Optional.<Record>empty() : Optional.of(RecordCodec.decode(id, Lmdb.bytes(v)));
        });
    }

    @Override
    public java.util.Map<String, Record> getAll(String collection, java.util.Collection<String> ids) {
        StoredCollection sc = catalog.require(collection);
        return read(txn -> {
            java.util.Map<String, Record> out = new java.util.HashMap<>();
            for (String id : ids) {
                byte[] key = IndexKeys.record(sc.tag(), id);
                ByteBuffer v = key.length > IndexKeys.MAX_KEY ? null : db.records.get(txn, Lmdb.keyA(key));
                if (v != null) out.put(id, RecordCodec.decode(id, Lmdb.bytes(v)));
            }
            return out;
        });
    }

    @Override
    public List<String> ids(String collection, Expr filter, int limit) {
        StoredCollection sc = catalog.require(collection);
        return read(txn -> queries.ids(txn, sc, filter, limit));
    }

    @Override
    public Page query(Query query) {
        StoredCollection sc = catalog.require(query.collection());
        return read(txn -> queries.run(txn, sc, query));
    }

    @Override
    public long count(String collection, Expr filter) {
        StoredCollection sc = catalog.require(collection);
        return read(txn -> queries.count(txn, sc, filter));
    }

    @Override
    public boolean readsAreLocal() {
        return true;
    }

    @Override
    public Optional<Page> queryBounded(Query query) {
        StoredCollection sc = catalog.require(query.collection());
        return read(txn -> Optional.ofNullable(queries.runBounded(txn, sc, query)));
    }

    /**
     * Applies the operations in one transaction. Listeners receive every change, the ones relation integrity
     * caused included (after the change of the operation that caused them); the caller gets one change per
     * operation. A delete into a collection that relations point at may fail after its first modification, so it
     * never runs without the nested transaction that lets the group drop it alone.
     */
    @Override
    public CompletableFuture<List<Change>> write(List<WriteOp> ops) {
        List<WriteOp> copy = List.copyOf(ops);
        boolean checksFirst = copy.size() == 1 && !(copy.get(0) instanceof WriteOp.Delete d && referenced(d.collection()));
        return committer.submit(txn -> {
            // a relation into the collection may have been saved since this write was queued: then the delete runs
            // in a transaction of its own, so that a refusal after its first change leaves the group untouched
            boolean guard = checksFirst && copy.get(0) instanceof WriteOp.Delete d && referenced(d.collection());
            Txn<ByteBuffer> t = guard ? db.env.txn(txn) : txn;
            try {
                Written w = apply(t, copy);
                if (guard) t.commit();
                return w;
            } finally {
                if (guard) t.close();
            }
        }, false, checksFirst, w -> listeners.publish(w.all())).thenApply(Written::own);
    }

    private Written apply(Txn<ByteBuffer> txn, List<WriteOp> ops) {
        LmdbRelations relations = new LmdbRelations(db, txn, catalog, writer, queries, seq::incrementAndGet);
        List<Change> own = new ArrayList<>(ops.size());
        List<Change> all = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            WriteOp op = ops.get(i);
            try {
                StoredCollection sc = catalog.require(op.collection());
                int at = all.size();
                writer.apply(txn, sc, op, relations, seq::incrementAndGet, all);
                own.add(all.get(at));
            } catch (StoreException e) {
                throw e.atOperation(i);
            }
        }
        return new Written(own, all);
    }

    private record Written(List<Change> own, List<Change> all) {}

    private boolean referenced(String collection) {
        var target = catalog.byName(collection).or(() -> catalog.byId(collection));
        if (target.isEmpty()) return false;
        String id = target.get().def().id();
        return catalog.all().stream().anyMatch(sc -> sc.def().relationFields().stream().anyMatch(f -> id.equals(f.target())));
    }

    @Override
    public void addChangeListener(ChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public StoreStats stats() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (CollectionDef c : collections()) counts.put(c.name(), count(c.name(), null));
        File data = new File(dir, "data.mdb");
        return new StoreStats(counts, data.length(), committer.commits.get(), committer.jobsCommitted.get(),
                committer.maxGroup.get());
    }

    /**
     * Kept in {@code meta} under {@code secret:<name>}. The read-then-insert runs again inside an exclusive write
     * job, and one process owns an LMDB folder, so two callers cannot store different values.
     */
    @Override
    public String sharedSecret(String name, Supplier<String> generate) {
        byte[] key = ("secret:" + name).getBytes(StandardCharsets.UTF_8);
        String found = read(txn -> storedSecret(txn, key));
        if (found != null) return found;
        String candidate = generate.get();
        try {
            return committer.submit(txn -> {
                String stored = storedSecret(txn, key);
                if (stored != null) return stored;
                byte[] value = candidate.getBytes(StandardCharsets.UTF_8);
                db.meta.reserve(txn, Lmdb.keyA(key), value.length).put(value);
                return candidate;
            }, true, false, null).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException se ? se : LmdbErrors.translate(e);
        }
    }

    private String storedSecret(Txn<ByteBuffer> txn, byte[] key) {
        ByteBuffer v = db.meta.get(txn, Lmdb.keyA(key));
        return v == null ? null : new String(Lmdb.bytes(v), StandardCharsets.UTF_8);
    }

    @Override
    public Operations operations() {
        return operations;
    }

    @Override
    public void snapshot(Path target, Operations.Operation progress) {
        snapshots.snapshot(target, progress);
    }

    @Override
    public ConsistencyReport verify(Path file) {
        return snapshots.verify(file);
    }

    @Override
    public void restore(Path file, Path previous, Runnable beforeSwap, Operations.Operation progress) {
        snapshots.restore(file, previous, beforeSwap, progress);
    }

    @Override
    public ConsistencyReport check() {
        return read(txn -> new Checker(db).check(txn, catalog.all()));
    }

    private <R> R read(Function<Txn<ByteBuffer>, R> body) {
        try {
            return db.read(body);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw LmdbErrors.translate(e);
        }
    }

    /** Finishes every queued write, then closes the environment (LMDB syncs on a durable commit already). */
    @Override
    public void close() {
        committer.close();
        long stamp = db.mapLock.writeLock();
        try {
            db.close();
        } finally {
            db.mapLock.unlockWrite(stamp);
        }
    }
}
