package dev.nanodb.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.logs.lmdb.LmdbLogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request logs' store on a real LMDB file, and the service's writer and cleanup over it: ids in time order,
 * the size budget kept whatever is written, cuts by age and level across many transactions, a store reopened with
 * its figures, a file larger than the configured size replaced, and the settings applied per batch.
 */
class LogStoreTest {
    @TempDir
    Path dir;

    private static LogStore.Entry entry(long millis, long seq, int level, int size) {
        String id = LogIds.of(millis, seq);
        return new LogStore.Entry(id, level, ("{\"id\":\"" + id + "\",\"pad\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(LogStore store, boolean descending) {
        List<String> out = new ArrayList<>();
        store.scan(descending, c -> out.add(c.id()));
        return out;
    }

    @Test
    void idsSortInTimeOrderAndNameTheirMillisecond() {
        long t = 1_765_000_000_123L;
        assertThat(LogIds.of(t, 5)).hasSize(15).matches("[0-9a-z]{15}");
        assertThat(LogIds.of(t, 5)).isLessThan(LogIds.of(t, 6)).isLessThan(LogIds.of(t + 1, 0)).isLessThanOrEqualTo(LogIds.lastAt(t));
        assertThat(LogIds.of(t + 1, 0)).isGreaterThan(LogIds.lastAt(t));
        assertThat(LogIds.millis(LogIds.of(t, 99))).isEqualTo(t);
        assertThat(LogIds.millis("not-an-id")).isEqualTo(-1);
        assertThat(LogIds.created(t)).isEqualTo("2025-12-06T05:46:40.123Z");
    }

    @Test
    void entriesAreKeptInIdOrderAndCutByAgeAndLevelAcrossManyTransactions() {
        try (LogStore store = LmdbLogStore.open(dir, 16L << 20)) {
            List<LogStore.Entry> batch = new ArrayList<>();
            for (int i = 0; i < 2500; i++) batch.add(entry(1000 + i, i, i % 2 == 0 ? 0 : 8, 10));
            assertThat(store.append(batch)).isZero();
            assertThat(store.count()).isEqualTo(2500);
            assertThat(ids(store, false)).isSorted().first().isEqualTo(LogIds.of(1000, 0));
            assertThat(ids(store, true).getFirst()).isEqualTo(LogIds.of(3499, 2499));
            assertThat(store.get(LogIds.of(1001, 1))).asString(StandardCharsets.UTF_8).contains(LogIds.of(1001, 1));
            assertThat(store.get(LogIds.of(1001, 2))).isNull();
            assertThat(store.get("../../etc")).isNull();

            assertThat(store.deleteBelow(8)).isEqualTo(1250);
            assertThat(store.count()).isEqualTo(1250);
            List<Integer> levels = new ArrayList<>();
            store.scan(false, c -> levels.add(c.level()));
            assertThat(levels).containsOnly(8);

            assertThat(store.deleteThrough(LogIds.lastAt(2999))).isEqualTo(1000);
            assertThat(ids(store, false).getFirst()).isEqualTo(LogIds.of(3001, 2001));
            long before = store.bytes();
            assertThat(store.trimTo(before / 2)).isPositive();
            assertThat(store.bytes()).isLessThanOrEqualTo(before / 2);
        }
    }

    @Test
    void aReopenedStoreKnowsItsFiguresAndAnOversizedFileIsReplaced() throws IOException {
        try (LogStore store = LmdbLogStore.open(dir, 4L << 20)) {
            store.append(List.of(entry(1, 0, 0, 100), entry(2, 1, 8, 100)));
        }
        try (LogStore store = LmdbLogStore.open(dir, 4L << 20)) {
            assertThat(store.count()).isEqualTo(2);
            int nodeAndSlot = 8 + 2;
            long entries = 2 * (15 + 1 + entry(1, 0, 0, 100).json().length + nodeAndSlot);
            assertThat(store.bytes()).as("one leaf page, at least what the entries take").isEqualTo(4096).isGreaterThan(entries);
            assertThat(store.budget()).isEqualTo(2L << 20);
        }
        Files.write(dir.resolve("data.mdb"), new byte[3 << 20]);
        try (LogStore store = LmdbLogStore.open(dir, 2L << 20)) {
            assertThat(store.count()).isZero();
            store.append(List.of(entry(3, 0, 0, 10)));
            assertThat(store.count()).isEqualTo(1);
        }
    }

    @Test
    void writingFarMoreThanTheBudgetKeepsTheFileWithinItsSize() throws IOException {
        AtomicReference<LogPolicy> policy = new AtomicReference<>(LogPolicy.DEFAULT);
        try (LogService logs = LogService.start(LmdbLogStore.open(dir, 1L << 20), policy::get)) {
            String url = "/api/x?q=" + "y".repeat(1900);
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 100; i++) logs.record(request(url, 200));
                logs.catchUp();
            }
            LogService.Counters c = logs.counters();
            assertThat(c.bytes()).isLessThanOrEqualTo(c.budget());
            assertThat(c.stored()).isBetween(1L, 1999L);
            assertThat(c.lost()).isZero();
        }
        assertThat(Files.size(dir.resolve("data.mdb"))).isLessThanOrEqualTo(1L << 20);
    }

    /**
     * A writer that fell behind hands over one batch larger than the whole file (800 entries of 2 KB, each on an LMDB
     * overflow page of its own): the newest entries that fit are kept instead of the whole batch being refused.
     */
    @Test
    void oneBatchLargerThanTheFileKeepsItsNewestEntries() throws IOException {
        try (LogStore store = LmdbLogStore.open(dir, 1L << 20)) {
            for (int round = 0; round < 3; round++) {
                List<LogStore.Entry> batch = new ArrayList<>();
                for (int i = 0; i < 800; i++) batch.add(entry(10_000L * round + 1000 + i, 800L * round + i, 0, 2100));
                assertThat(store.append(batch)).as("entries lost in round " + round).isZero();
                List<String> kept = ids(store, false);
                assertThat(kept).hasSizeBetween(50, 799).endsWith(batch.getLast().id());
                assertThat(store.bytes()).isLessThanOrEqualTo(store.budget());
            }
        }
        assertThat(Files.size(dir.resolve("data.mdb"))).isLessThanOrEqualTo(1L << 20);
    }

    @Test
    void theSettingsApplyToTheNextBatchAndANarrowerPolicyRemovesWhatItNoLongerAllows() {
        AtomicReference<LogPolicy> policy = new AtomicReference<>(LogPolicy.DEFAULT);
        try (LogService logs = LogService.start(LmdbLogStore.open(dir, 4L << 20), policy::get)) {
            logs.record(request("/a?token=secret&x=1", 200));
            logs.record(request("/b", 404));
            logs.catchUp();
            assertThat(logs.counters().stored()).isEqualTo(2);
            String a = new String(logs.store().get(ids(logs.store(), false).getFirst()), StandardCharsets.UTF_8);
            assertThat(a).contains("\"url\":\"/a?token=REDACTED&x=1\"", "\"userIP\":\"10.0.0.9\"").doesNotContain("secret", "authId");

            policy.set(new LogPolicy(5, 8, false, true));
            logs.record(request("/c", 200));
            logs.record(request("/d", 500));
            logs.catchUp();
            List<String> kept = new ArrayList<>();
            logs.store().scan(false, c -> kept.add(new String(c.json(), StandardCharsets.UTF_8)));
            assertThat(kept).hasSize(2);
            assertThat(kept.get(0)).contains("\"url\":\"/b\"");
            assertThat(kept.get(1)).contains("\"url\":\"/d\"", "\"authId\":\"u1\"").doesNotContain("userIP", "remoteIP");

            policy.set(new LogPolicy(0, 8, false, true));
            logs.catchUp();
            assertThat(logs.counters().stored()).isZero();
            logs.record(request("/e", 500));
            logs.catchUp();
            assertThat(logs.counters().stored()).isZero();
        }
    }

    private static RequestLog request(String url, int status) {
        return new RequestLog(System.currentTimeMillis(), "GET", url, status, 1.5, "10.0.0.9", "10.0.0.9", "", "test",
                "users", "u1", status >= 400 ? "failed" : null, null);
    }
}
