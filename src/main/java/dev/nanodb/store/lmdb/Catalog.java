package dev.nanodb.store.lmdb;

import dev.nanodb.json.Json;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.IndexDef;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Record;
import dev.nanodb.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The collections of the store. Readers see an immutable snapshot that is replaced only after a collection
 * change has committed, so a reader never sees a definition whose indexes are not yet built.
 *
 * <p>A collection change computes the index difference (by columns and unique flag): removed indexes are
 * deleted entry by entry, new ones are built over every existing record inside the same transaction — a unique
 * index over duplicate values fails the whole change.
 */
final class Catalog {
    private static final String PREFIX = "col:";
    private static final byte[] COUNTERS = "counters".getBytes(StandardCharsets.US_ASCII);

    private record Snapshot(Map<String, StoredCollection> byName, Map<String, StoredCollection> byId) {}

    private final Lmdb db;
    private final RecordWriter writer;
    private final Operations operations;
    private volatile Snapshot snap = new Snapshot(Map.of(), Map.of());

    /** @param operations where index builds report their progress */
    Catalog(Lmdb db, RecordWriter writer, Operations operations) {
        this.db = db;
        this.writer = writer;
        this.operations = operations;
    }

    /** Reads every definition from the store and replaces the snapshot readers see. */
    void load() {
        install(db.read(this::readAll));
    }

    /** As {@link #load}, for a caller that holds the exclusive map lock (a restore's swap): no read lock taken. */
    void loadExclusive() {
        try (Txn<ByteBuffer> txn = db.env.txnRead()) {
            install(readAll(txn));
        }
    }

    private List<StoredCollection> readAll(Txn<ByteBuffer> txn) {
        List<StoredCollection> out = new ArrayList<>();
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        try (Cursor<ByteBuffer> c = db.meta.openCursor(txn)) {
            boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
            while (ok) {
                byte[] k = Lmdb.bytes(c.key());
                if (!IndexKeys.startsWith(k, prefix)) break;
                out.add(StoredCollection.fromMap(Json.parseObject(Lmdb.bytes(c.val()))));
                ok = c.next();
            }
        }
        return out;
    }

    private void install(List<StoredCollection> all) {
        Map<String, StoredCollection> byName = new HashMap<>();
        Map<String, StoredCollection> byId = new HashMap<>();
        for (StoredCollection sc : all) {
            byName.put(sc.def().name(), sc);
            byId.put(sc.def().id(), sc);
        }
        snap = new Snapshot(Map.copyOf(byName), Map.copyOf(byId));
    }

    Optional<StoredCollection> byName(String name) {
        return Optional.ofNullable(snap.byName().get(name));
    }

    Optional<StoredCollection> byId(String id) {
        return Optional.ofNullable(snap.byId().get(id));
    }

    List<StoredCollection> all() {
        return new ArrayList<>(snap.byName().values());
    }

    StoredCollection require(String name) {
        return byName(name).orElseThrow(() -> new StoreException.NotFound("Missing collection context."));
    }

    /** Saved and deleted collections of one {@link #apply}, to install once it has committed. */
    record Applied(List<StoredCollection> saved, List<StoredCollection> deleted) {}

    /**
     * Runs inside the writer: deletes {@code deletes}, then saves {@code saves}, in the caller's transaction. Names
     * are checked against the set as it will be once everything applies (a deleted or renamed collection frees its
     * name), before anything changes.
     */
    Applied apply(Txn<ByteBuffer> txn, List<CollectionDef> saves, List<String> deletes) {
        Map<String, String> names = new HashMap<>();
        for (StoredCollection sc : snap.byId().values()) names.put(sc.def().id(), sc.def().name());
        for (String id : deletes) {
            if (names.remove(id) == null) throw new StoreException.NotFound("Missing collection context.");
        }
        for (CollectionDef def : saves) {
            if (deletes.contains(def.id())) throw new StoreException.InvalidValue("id", "validation_conflict", "Deleted and saved.");
            names.put(def.id(), def.name());
        }
        if (new java.util.HashSet<>(names.values()).size() != names.size()) throw new StoreException.UniqueViolation("name");
        List<StoredCollection> deleted = new ArrayList<>();
        for (String id : deletes) deleted.add(delete(txn, id));
        List<StoredCollection> saved = new ArrayList<>();
        for (CollectionDef def : saves) saved.add(write(txn, def));
        return new Applied(saved, deleted);
    }

    /** Installs what {@link #apply} committed. */
    void installApplied(Applied applied) {
        applied.deleted().forEach(this::uninstall);
        applied.saved().forEach(this::install);
    }

    /** Runs inside the writer: creates or updates a collection and its indexes. */
    StoredCollection save(Txn<ByteBuffer> txn, CollectionDef def) {
        StoredCollection byNameNow = snap.byName().get(def.name());
        if (byNameNow != null && !byNameNow.def().id().equals(def.id())) throw new StoreException.UniqueViolation("name");
        return write(txn, def);
    }

    /** {@link #save} once the name is known to be free. */
    private StoredCollection write(Txn<ByteBuffer> txn, CollectionDef def) {
        StoredCollection old = snap.byId().get(def.id());
        Map<String, Object> counters = readCounters(txn);
        int tag = old != null ? old.tag() : nextCounter(counters, "tag");
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String sys : StoredCollection.SYSTEM_INDEXES) {
            ids.put(sys, old != null && old.indexIds().containsKey(sys) ? old.indexIds().get(sys) : nextCounter(counters, "index"));
        }
        List<String> build = new ArrayList<>();
        for (FieldDef f : def.indexedFields()) {
            Integer kept = old == null ? null : keptIndex(old, def, f);
            if (kept != null) {
                ids.put(f.name(), kept);
            } else {
                ids.put(f.name(), nextCounter(counters, "index"));
                build.add(f.name());
            }
        }
        for (IndexDef ix : def.backendIndexes()) {
            String key = IndexSpec.keyOf(ix.fields());
            Integer kept = old == null ? null : keptComposite(old, key, ix.unique());
            if (kept != null) {
                ids.put(key, kept);
            } else {
                ids.put(key, nextCounter(counters, "index"));
                build.add(key);
            }
        }
        StoredCollection next = new StoredCollection(def, tag, ids);
        if (old != null) {
            for (Map.Entry<String, Integer> e : old.indexIds().entrySet()) {
                if (!e.getValue().equals(ids.get(e.getKey()))) dropIndex(txn, e.getValue());
            }
            dropRemovedValues(txn, old, def);
            if (!build.isEmpty()) buildIndexes(txn, next, build);
        }
        db.meta.put(txn, Lmdb.keyA(COUNTERS), Lmdb.smallValue(Json.write(counters)));
        byte[] value = Json.write(next.toMap());
        db.meta.reserve(txn, Lmdb.keyA(metaKey(def.id())), value.length).put(value);
        return next;
    }

    private static Integer keptIndex(StoredCollection old, CollectionDef def, FieldDef f) {
        Integer id = old.indexIds().get(f.name());
        if (id == null) return null;
        boolean wasUnique = old.isUnique(f.name());
        return wasUnique == f.unique() && old.def().field(f.name()).map(o -> o.type() == f.type()).orElse(false) ? id : null;
    }

    /** A declared index kept as it was: same columns (its key) and same uniqueness. */
    private static Integer keptComposite(StoredCollection old, String key, boolean unique) {
        for (IndexSpec spec : old.specs()) {
            if (spec.key().equals(key) && spec.unique() == unique) return spec.id();
        }
        return null;
    }

    /** Installs a committed change into the snapshot readers see. Runs on the writer thread after commit. */
    void install(StoredCollection sc) {
        Map<String, StoredCollection> byName = new HashMap<>(snap.byName());
        Map<String, StoredCollection> byId = new HashMap<>(snap.byId());
        StoredCollection old = byId.get(sc.def().id());
        if (old != null) byName.remove(old.def().name());
        byName.put(sc.def().name(), sc);
        byId.put(sc.def().id(), sc);
        snap = new Snapshot(Map.copyOf(byName), Map.copyOf(byId));
    }

    /** Runs inside the writer: removes a collection, its records, indexes and counters. */
    StoredCollection delete(Txn<ByteBuffer> txn, String id) {
        StoredCollection sc = snap.byId().get(id);
        if (sc == null) throw new StoreException.NotFound("Missing collection context.");
        deletePrefix(txn, db.records, IndexKeys.collectionPrefix(sc.tag()));
        for (int indexId : sc.indexIds().values()) dropIndex(txn, indexId);
        db.counts.delete(txn, Lmdb.keyB(IndexKeys.collectionCounter(sc.tag())));
        db.meta.delete(txn, Lmdb.keyA(metaKey(id)));
        return sc;
    }

    void uninstall(StoredCollection sc) {
        Map<String, StoredCollection> byName = new HashMap<>(snap.byName());
        Map<String, StoredCollection> byId = new HashMap<>(snap.byId());
        byName.remove(sc.def().name());
        byId.remove(sc.def().id());
        snap = new Snapshot(Map.copyOf(byName), Map.copyOf(byId));
    }

    /**
     * Removes the values of fields the new definition no longer declares from every record, as dropping a column
     * would: a removed (possibly hidden) field's data must not resurface, and records must stay valid under the
     * new definition. Versions and timestamps are kept — this is a schema change, not a record update.
     */
    private void dropRemovedValues(Txn<ByteBuffer> txn, StoredCollection old, CollectionDef def) {
        List<String> removed = new ArrayList<>();
        for (FieldDef f : old.def().fields()) {
            if (def.field(f.name()).isEmpty()) removed.add(f.name());
        }
        if (removed.isEmpty()) return;
        byte[] prefix = IndexKeys.collectionPrefix(old.tag());
        List<Record> changed = new ArrayList<>();
        try (Cursor<ByteBuffer> c = db.records.openCursor(txn)) {
            boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
            while (ok && IndexKeys.startsWith(Lmdb.bytes(c.key()), prefix)) {
                Record r = RecordCodec.decodeChecked(Lmdb.bytes(c.val()));
                if (removed.stream().anyMatch(r.data()::containsKey)) {
                    Map<String, Object> data = new LinkedHashMap<>(r.data());
                    removed.forEach(data::remove);
                    changed.add(new Record(r.id(), r.created(), r.updated(), r.version(), data));
                }
                ok = c.next();
            }
        }
        for (Record r : changed) {
            byte[] bytes = RecordCodec.encode(r);
            db.records.reserve(txn, Lmdb.keyA(IndexKeys.record(old.tag(), r.id())), bytes.length).put(bytes);
        }
    }

    /**
     * Builds new indexes over the collection's records, reporting records done out of the collection's counter to
     * {@link Operations} (kind {@code index}) so that a long build can be watched.
     */
    private void buildIndexes(Txn<ByteBuffer> txn, StoredCollection sc, List<String> keys) {
        byte[] prefix = IndexKeys.collectionPrefix(sc.tag());
        long total = RecordWriter.readCounter(db, txn, IndexKeys.collectionCounter(sc.tag()));
        String label = "index " + sc.def().name() + "." + String.join(", ", keys);
        List<IndexSpec> specs = sc.specs().stream().filter(x -> keys.contains(x.key())).toList();
        Operations.Operation op = operations.start("index", label, total);
        try {
            List<Record> batch = new ArrayList<>();
            try (Cursor<ByteBuffer> c = db.records.openCursor(txn)) {
                boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
                while (ok && IndexKeys.startsWith(Lmdb.bytes(c.key()), prefix)) {
                    batch.add(RecordCodec.decodeChecked(Lmdb.bytes(c.val())));
                    ok = c.next();
                }
            }
            long done = 0;
            for (Record r : batch) {
                for (IndexSpec ix : specs) writer.addEntry(txn, ix, r);
                op.done(++done);
            }
        } catch (RuntimeException e) {
            op.fail(e instanceof StoreException.UniqueViolation ? "duplicate values for a unique index" : "index build failed");
            throw e;
        } finally {
            op.close();
        }
    }

    private void dropIndex(Txn<ByteBuffer> txn, int indexId) {
        deletePrefix(txn, db.index, IndexKeys.indexPrefix(indexId));
        deletePrefix(txn, db.counts, IndexKeys.concat(new byte[] {'v'}, IndexKeys.indexPrefix(indexId)));
    }

    private static void deletePrefix(Txn<ByteBuffer> txn, org.lmdbjava.Dbi<ByteBuffer> dbi, byte[] prefix) {
        try (Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
            boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
            while (ok && IndexKeys.startsWith(Lmdb.bytes(c.key()), prefix)) {
                c.delete();
                ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
            }
        }
    }

    private Map<String, Object> readCounters(Txn<ByteBuffer> txn) {
        ByteBuffer v = db.meta.get(txn, Lmdb.keyA(COUNTERS));
        return v == null ? new LinkedHashMap<>() : Json.parseObject(Lmdb.bytes(v));
    }

    private static int nextCounter(Map<String, Object> counters, String name) {
        int next = counters.containsKey(name) ? ((Number) counters.get(name)).intValue() + 1 : 1;
        counters.put(name, (long) next);
        return next;
    }

    private static byte[] metaKey(String id) {
        return (PREFIX + id).getBytes(StandardCharsets.UTF_8);
    }
}
