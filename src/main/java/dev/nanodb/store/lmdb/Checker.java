package dev.nanodb.store.lmdb;

import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.RelationActions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Verifies, in one read snapshot, that the derived data agrees with the records: every record has exactly the
 * index entries its values call for (and each entry points back at its record), no two records hold one unique
 * value, every value counter and collection counter equals what counting the records gives, every stored
 * record decodes, and every id a relation holds is a record of its target collection.
 */
final class Checker {
    private static final int MAX_PROBLEMS = 100;
    private final Lmdb db;
    private final List<String> problems = new ArrayList<>();
    private long records;
    private long entries;

    Checker(Lmdb db) {
        this.db = db;
    }

    private final Map<String, StoredCollection> byId = new HashMap<>();

    ConsistencyReport check(Txn<ByteBuffer> txn, List<StoredCollection> collections) {
        for (StoredCollection sc : collections) byId.put(sc.def().id(), sc);
        for (StoredCollection sc : collections) checkCollection(txn, sc);
        return new ConsistencyReport(records, entries, problems);
    }

    private void problem(String p) {
        if (problems.size() < MAX_PROBLEMS) problems.add(p);
    }

    private void checkCollection(Txn<ByteBuffer> txn, StoredCollection sc) {
        String name = sc.def().name();
        Map<Integer, Map<ByteArray, ByteArray>> expected = new HashMap<>();
        Map<ByteArray, Long> expectedCounts = new HashMap<>();
        for (int indexId : sc.indexIds().values()) expected.put(indexId, new HashMap<>());
        long n = 0;
        byte[] prefix = IndexKeys.collectionPrefix(sc.tag());
        try (Cursor<ByteBuffer> c = db.records.openCursor(txn)) {
            boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
            while (ok) {
                byte[] key = Lmdb.bytes(c.key());
                if (!IndexKeys.startsWith(key, prefix)) break;
                n++;
                records++;
                String id = new String(key, 4, key.length - 4, StandardCharsets.US_ASCII);
                try {
                    Record r = RecordCodec.decodeChecked(Lmdb.bytes(c.val()));
                    r.data();
                    if (!r.id().equals(id)) problem(name + "/" + id + ": stored under another id (" + r.id() + ")");
                    expectEntries(sc, r, expected, expectedCounts);
                    checkRelations(txn, sc, r);
                } catch (RuntimeException e) {
                    problem(name + "/" + id + ": record does not decode");
                }
                ok = c.next();
            }
        }
        long counter = RecordWriter.readCounter(db, txn, IndexKeys.collectionCounter(sc.tag()));
        if (counter != n) problem(name + ": record counter says " + counter + " but " + n + " records are stored");
        for (IndexSpec ix : sc.specs()) compareIndex(txn, name + "." + ix.key(), ix.id(), expected.get(ix.id()));
        compareCounters(txn, sc, expectedCounts);
    }

    private void checkRelations(Txn<ByteBuffer> txn, StoredCollection sc, Record r) {
        for (FieldDef f : sc.def().relationFields()) {
            StoredCollection target = byId.get(f.target());
            for (String id : RelationActions.ids(r.data().get(f.name()))) {
                byte[] key = target == null ? null : IndexKeys.record(target.tag(), id);
                if (key == null || key.length > IndexKeys.MAX_KEY || db.records.get(txn, Lmdb.keyA(key)) == null) {
                    problem(sc.def().name() + "/" + r.id() + "." + f.name() + ": points at " + id + ", which is no record");
                }
            }
        }
    }

    /**
     * The entries a record calls for, each with the value it must hold: the record's id for a unique entry whose
     * key holds only the value (a search by that value reads its record from there), nothing otherwise.
     */
    private void expectEntries(StoredCollection sc, Record r, Map<Integer, Map<ByteArray, ByteArray>> expected,
                               Map<ByteArray, Long> counts) {
        for (IndexSpec ix : sc.specs()) {
            Object[] v = ix.storedValues(r);
            byte[] holder = ix.claims(v) ? r.id().getBytes(StandardCharsets.US_ASCII) : new byte[0];
            ByteArray earlier = expected.get(ix.id()).put(new ByteArray(ix.entry(v, r.id())), new ByteArray(holder));
            if (earlier != null) problem(sc.def().name() + "." + ix.key() + ": two records hold the same unique value");
            for (byte[] counter : ix.counters(v)) counts.merge(new ByteArray(counter), 1L, Long::sum);
        }
    }

    private void compareIndex(Txn<ByteBuffer> txn, String label, int indexId, Map<ByteArray, ByteArray> expected) {
        byte[] prefix = IndexKeys.indexPrefix(indexId);
        Set<ByteArray> found = new HashSet<>();
        try (Cursor<ByteBuffer> c = db.index.openCursor(txn)) {
            boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
            while (ok) {
                byte[] key = Lmdb.bytes(c.key());
                if (!IndexKeys.startsWith(key, prefix)) break;
                entries++;
                ByteArray k = new ByteArray(key);
                found.add(k);
                ByteArray holder = expected.get(k);
                if (holder == null) {
                    problem(label + ": index entry for a record value that does not exist");
                } else if (!holder.equals(new ByteArray(Lmdb.bytes(c.val())))) {
                    problem(label + ": a unique entry names another record than the one holding the value");
                }
                ok = c.next();
            }
        }
        for (ByteArray k : expected.keySet()) {
            if (!found.contains(k)) problem(label + ": a record has no index entry");
        }
    }

    private void compareCounters(Txn<ByteBuffer> txn, StoredCollection sc, Map<ByteArray, Long> expected) {
        for (IndexSpec ix : sc.specs()) {
            byte[] prefix = IndexKeys.concat(new byte[] {'v'}, IndexKeys.indexPrefix(ix.id()));
            try (Cursor<ByteBuffer> c = db.counts.openCursor(txn)) {
                boolean ok = c.get(Lmdb.keyA(prefix), GetOp.MDB_SET_RANGE);
                while (ok) {
                    byte[] key = Lmdb.bytes(c.key());
                    if (!IndexKeys.startsWith(key, prefix)) break;
                    long stored = c.val().duplicate().order(java.nio.ByteOrder.BIG_ENDIAN).getLong();
                    Long want = expected.remove(new ByteArray(key));
                    if (want == null || want != stored) {
                        problem(sc.def().name() + "." + ix.key() + ": value counter " + stored + " but "
                                + (want == null ? 0 : want) + " records hold the value");
                    }
                    ok = c.next();
                }
            }
        }
        if (!expected.isEmpty()) problem(sc.def().name() + ": " + expected.size() + " indexed values have no counter");
    }

    /** A byte array with value semantics, for hash sets of keys. */
    private record ByteArray(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteArray b && java.util.Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }
}
