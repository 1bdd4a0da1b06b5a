package dev.nanodb.store.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.ChildServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;

/**
 * The consistency checker ({@link Checker}, behind {@code GET /api/admin/consistency}, {@code nanodb check}, the
 * verification of every restore, and the last step of every API scenario and crash round) must catch what it is
 * there to catch: each test writes records through an {@link LmdbStore}, closes it, damages exactly one piece of
 * derived data with lmdbjava directly — an index entry, a unique entry, a collection or value counter, a record —
 * and expects the report to name that problem (the index or counter, and what is wrong with it). Without these,
 * a checker that always answered "clean" would pass the whole build.
 */
class CheckerTest {
    private static final String C = "things";
    private static final String T0 = "2026-01-01T00:00:00.000Z";
    /** {@code n} (indexed, not unique) per record: value 2 is held by three records. */
    private static final long[] N = {1, 1, 2, 2, 2, 3};
    private static final List<String> IDS = List.of("r00000000000001", "r00000000000002", "r00000000000003",
            "r00000000000004", "r00000000000005", "r00000000000006");

    @TempDir
    Path dir;
    private Path data;

    /** Six records of {@code things}: {@code n} indexed, {@code slug} unique ({@code s1}…{@code s6}). */
    @BeforeEach
    void seed() {
        data = dir.resolve("data");
        FieldDef n = FieldDef.of("n", FieldType.NUMBER).withIndexed(true);
        FieldDef slug = FieldDef.of("slug", FieldType.TEXT).withUnique(true);
        CollectionDef def = new CollectionDef("pbc_things00001", C, CollectionType.BASE, false, false,
                List.of(n, slug, FieldDef.of("title", FieldType.TEXT)), CollectionDef.Rules.SUPERUSERS_ONLY, T0, T0, List.of());
        try (LmdbStore store = open(data)) {
            store.saveCollection(def).join();
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < IDS.size(); i++) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("n", N[i]);
                values.put("slug", "s" + (i + 1));
                values.put("title", "t" + (i + 1));
                ops.add(new WriteOp.Create(C, new Record(IDS.get(i), T0, T0, 1, values)));
            }
            store.write(ops).join();
        }
    }

    private static LmdbStore open(Path folder) {
        return new LmdbStore(folder.toFile(), 1 << 20, 1L << 30, true);
    }

    private static ConsistencyReport check(Path folder) {
        try (LmdbStore store = open(folder)) {
            return store.check();
        }
    }

    /** Applies {@code damage} in one write transaction on the closed folder, with the collection's tag and index ids. */
    private void corrupt(BiConsumer<Lmdb, Txn<ByteBuffer>> damage) {
        try (Lmdb db = new Lmdb(data.toFile(), 1 << 20, 1L << 30, true); Txn<ByteBuffer> txn = db.env.txnWrite()) {
            damage.accept(db, txn);
            txn.commit();
        }
    }

    private StoredCollection things() {
        try (Lmdb db = new Lmdb(data.toFile(), 1 << 20, 1L << 30, true)) {
            Catalog catalog = new Catalog(db, new RecordWriter(db), new Operations());
            catalog.load();
            return catalog.require(C);
        }
    }

    private static void put(Txn<ByteBuffer> txn, Dbi<ByteBuffer> dbi, byte[] key, byte[] value) {
        dbi.put(txn, Lmdb.keyA(key), Lmdb.smallValue(value));
    }

    private static void delete(Txn<ByteBuffer> txn, Dbi<ByteBuffer> dbi, byte[] key) {
        assertThat(dbi.delete(txn, Lmdb.keyA(key))).as("the entry to damage exists").isTrue();
    }

    private static byte[] counter(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theUndamagedDataIsCleanAndFullyCounted() {
        ConsistencyReport r = check(data);
        assertThat(r.problems()).isEmpty();
        assertThat(r.clean()).isTrue();
        assertThat(r.recordsChecked()).isEqualTo(6);
        assertThat(r.indexEntriesChecked()).as("created, n and slug: one entry per record each").isEqualTo(18);
    }

    @Test
    void aMissingIndexEntryIsReported() {
        int n = things().indexIds().get("n");
        corrupt((db, txn) -> delete(txn, db.index, IndexKeys.entry(n, 2L, IDS.get(3), false)));
        assertThat(check(data).problems()).containsExactly("things.n: a record has no index entry");
    }

    @Test
    void anIndexEntryWithAnotherValueIsReported() {
        int n = things().indexIds().get("n");
        corrupt((db, txn) -> {
            delete(txn, db.index, IndexKeys.entry(n, 2L, IDS.get(3), false));
            put(txn, db.index, IndexKeys.entry(n, 7L, IDS.get(3), false), new byte[0]);
        });
        assertThat(check(data).problems()).containsExactlyInAnyOrder(
                "things.n: index entry for a record value that does not exist", "things.n: a record has no index entry");
    }

    @Test
    void anIndexEntryOfARecordThatDoesNotExistIsReported() {
        int created = things().indexIds().get("created");
        corrupt((db, txn) -> put(txn, db.index, IndexKeys.entry(created, T0, "zzzzzzzzzzzzzzz", false), new byte[0]));
        assertThat(check(data).problems()).containsExactly("things.created: index entry for a record value that does not exist");
    }

    @Test
    void aMissingUniqueEntryIsReported() {
        int slug = things().indexIds().get("slug");
        corrupt((db, txn) -> delete(txn, db.index, IndexKeys.entry(slug, "s3", IDS.get(2), true)));
        assertThat(check(data).problems()).containsExactly("things.slug: a record has no index entry");
    }

    @Test
    void aUniqueEntryUnderAnotherValueIsReported() {
        int slug = things().indexIds().get("slug");
        corrupt((db, txn) -> {
            delete(txn, db.index, IndexKeys.entry(slug, "s3", IDS.get(2), true));
            put(txn, db.index, IndexKeys.entry(slug, "s9", IDS.get(2), true), ascii(IDS.get(2)));
        });
        assertThat(check(data).problems()).containsExactlyInAnyOrder(
                "things.slug: index entry for a record value that does not exist", "things.slug: a record has no index entry");
    }

    /**
     * The value of a unique entry is the id of the record holding the value: queries on the unique field and the
     * uniqueness check of later writes read it, so an entry naming another record is as wrong as a missing one.
     * (Found by this test: the checker compared only the keys of unique entries, and reported this damage clean
     * while {@code slug = 's3'} answered the record holding {@code s5}.)
     */
    @Test
    void aUniqueEntryNamingAnotherRecordIsReported() {
        int slug = things().indexIds().get("slug");
        corrupt((db, txn) -> put(txn, db.index, IndexKeys.entry(slug, "s3", IDS.get(2), true), ascii(IDS.get(4))));
        assertThat(check(data).problems()).containsExactly("things.slug: a unique entry names another record than the one holding the value");
    }

    /**
     * Two records holding one unique value, as an overwriting write bug would leave them (the record gets the value,
     * the entry is repointed at it): both its entry and its record look right alone, so only the pair shows it.
     */
    @Test
    void twoRecordsHoldingOneUniqueValueAreReported() {
        int tag = things().tag();
        int slug = things().indexIds().get("slug");
        corrupt((db, txn) -> {
            put(txn, db.records, IndexKeys.record(tag, IDS.get(4)), ascii("{\"id\":\"" + IDS.get(4) + "\",\"created\":\"" + T0
                    + "\",\"updated\":\"" + T0 + "\",\"_version\":1,\"n\":2,\"slug\":\"s3\",\"title\":\"t5\"}"));
            delete(txn, db.index, IndexKeys.entry(slug, "s5", IDS.get(4), true));
            put(txn, db.index, IndexKeys.entry(slug, "s3", IDS.get(4), true), ascii(IDS.get(4)));
        });
        assertThat(check(data).problems()).contains("things.slug: two records hold the same unique value");
    }

    @Test
    void aWrongCollectionCounterIsReported() {
        int tag = things().tag();
        corrupt((db, txn) -> put(txn, db.counts, IndexKeys.collectionCounter(tag), counter(7)));
        assertThat(check(data).problems()).containsExactly("things: record counter says 7 but 6 records are stored");
    }

    @Test
    void aWrongValueCounterIsReported() {
        int n = things().indexIds().get("n");
        corrupt((db, txn) -> put(txn, db.counts, IndexKeys.valueCounter(n, 2L), counter(5)));
        assertThat(check(data).problems()).containsExactly("things.n: value counter 5 but 3 records hold the value");
    }

    @Test
    void aMissingValueCounterIsReported() {
        int n = things().indexIds().get("n");
        corrupt((db, txn) -> delete(txn, db.counts, IndexKeys.valueCounter(n, 3L)));
        assertThat(check(data).problems()).containsExactly("things: 1 indexed values have no counter");
    }

    @Test
    void aCounterForAValueNoRecordHoldsIsReported() {
        int n = things().indexIds().get("n");
        corrupt((db, txn) -> put(txn, db.counts, IndexKeys.valueCounter(n, 99L), counter(1)));
        assertThat(check(data).problems()).containsExactly("things.n: value counter 1 but 0 records hold the value");
    }

    @Test
    void aRecordThatDoesNotDecodeIsReported() {
        int tag = things().tag();
        corrupt((db, txn) -> put(txn, db.records, IndexKeys.record(tag, IDS.get(0)), ascii("{\"id\":")));
        assertThat(check(data).problems()).contains("things/" + IDS.get(0) + ": record does not decode");
    }

    /**
     * {@code nanodb check} on a stopped server's folder, as an operator runs it (a child JVM): exit 0 and
     * "consistent" on the undamaged data, exit 1 with the problem on a damaged copy of it.
     */
    @Test
    void theCommandLineCheckExitsZeroWhenCleanAndOneWithTheProblem() throws Exception {
        Path clean = dir.resolve("clean");
        copyFolder(data, clean);
        int n = things().indexIds().get("n");
        corrupt((db, txn) -> delete(txn, db.index, IndexKeys.entry(n, 1L, IDS.get(0), false)));

        Run ok = nanodbCheck(clean);
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("records checked: 6, index entries checked: 18").contains("consistent")
                .doesNotContain("PROBLEM");
        Run damaged = nanodbCheck(data);
        assertThat(damaged.exit()).as(damaged.output()).isEqualTo(1);
        assertThat(damaged.output()).contains("PROBLEM: things.n: a record has no index entry").contains("INCONSISTENT");
    }

    private record Run(int exit, String output) {}

    private Run nanodbCheck(Path folder) throws Exception {
        Path out = Files.createTempFile(dir, "check", ".out");
        Process p = ChildServer.java(dir, folder, "check").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("nanodb check finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static void copyFolder(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        Files.copy(from.resolve("data.mdb"), to.resolve("data.mdb"));
    }
}
