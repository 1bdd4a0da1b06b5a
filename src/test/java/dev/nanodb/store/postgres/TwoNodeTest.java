package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.PgTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one schema stand for two nodes: every change published by either reaches both stores' listeners,
 * once, in the same order, with the records {@code get} returns; a collection defined on one is usable on the other.
 */
class TwoNodeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String T0 = "2026-01-01T00:00:00.000Z";

    private PostgresStore a;
    private PostgresStore b;
    private final List<Change> seenByA = new CopyOnWriteArrayList<>();
    private final List<Change> seenByB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        PgTestDatabase.assumeAvailable();
        String schema = PgTestDatabase.freshSchema();
        a = new PostgresStore(PgTestDatabase.url(), schema, 4);
        b = new PostgresStore(PgTestDatabase.url(), schema, 4);
        a.addChangeListener(seenByA::addAll);
        b.addChangeListener(seenByB::addAll);
    }

    @AfterEach
    void close() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void writesOnBothNodesReachBothListenersOnceInOneOrderWithTheStoredRecords() throws Exception {
        join(a.saveCollection(def("pbc_twonode0001", "notes", FieldDef.of("n", FieldType.NUMBER).withIndexed(true))));
        List<CompletableFuture<List<Change>>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PostgresStore node = i % 2 == 0 ? a : b;
            writes.add(node.write(List.of(new WriteOp.Create("notes", rec(id(i), "n", (long) i, "s", "x\u0000y\u0001 " + i)))));
        }
        for (CompletableFuture<List<Change>> w : writes) join(w);
        String big = "b".repeat(100_000);
        Record large = join(b.write(List.of(new WriteOp.Create("notes", rec(id(100), "s", big,
                "nested", Map.of("k", List.of(1L, 2.5, "z"))))))).get(0).record();
        Record updated = join(a.write(List.of(new WriteOp.Update("notes", id(3), 1L,
                r -> r.withData(Map.of("n", 33L), T0, r.version() + 1))))).get(0).record();
        Record deleted = join(b.write(List.of(new WriteOp.Delete("notes", id(4), null)))).get(0).record();

        int total = writes.size() + 3;
        waitUntil(() -> seenByA.size() >= total && seenByB.size() >= total);
        assertThat(seenByA).hasSize(total).isEqualTo(seenByB);
        List<Long> seqs = seenByA.stream().map(Change::seq).toList();
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        for (CompletableFuture<List<Change>> w : writes) assertThat(seenByA).containsAll(w.join());

        assertThat(large).isEqualTo(a.get("notes", id(100)).orElseThrow());
        assertThat(large.data().get("s")).isEqualTo(big);
        assertThat(updated).isEqualTo(b.get("notes", id(3)).orElseThrow());
        assertThat(seenByB.get(total - 1).action()).isEqualTo(Change.Action.DELETE);
        assertThat(deleted.id()).isEqualTo(id(4));
        assertThat(a.get("notes", id(4))).isEmpty();
        for (Change c : seenByB.subList(0, writes.size())) {
            if (!c.record().id().equals(id(3)) && !c.record().id().equals(id(4))) {
                assertThat(c.record()).isEqualTo(a.get("notes", c.record().id()).orElseThrow());
            }
        }
    }

    @Test
    void aCollectionDefinedOnOneNodeIsUsableAndFollowedOnTheOther() {
        CollectionDef posts = join(a.saveCollection(def("pbc_twonode0002", "posts", FieldDef.of("title", FieldType.TEXT))));
        join(b.write(List.of(new WriteOp.Create("posts", rec(id(1), "title", "from b")))));
        assertThat(a.get("posts", id(1)).orElseThrow().data()).containsEntry("title", "from b");

        CollectionDef renamed = posts.withName("articles", T0)
                .withFields(List.of(FieldDef.of("title", FieldType.TEXT), FieldDef.of("body", FieldType.TEXT)), T0);
        join(a.saveCollection(renamed));
        waitUntil(() -> b.collection("articles").isPresent() && b.collection("articles").get().field("body").isPresent());
        assertThat(b.collection("posts")).isEmpty();
        join(b.write(List.of(new WriteOp.Create("articles", rec(id(2), "title", "t", "body", "x")))));

        join(b.deleteCollection(posts.id()));
        waitUntil(() -> a.collection("articles").isEmpty());
        assertThat(a.collections()).extracting(CollectionDef::name).doesNotContain("articles", "posts");
    }

    @Test
    void bothNodesGetTheSameSharedSecret() {
        String fromB = b.sharedSecret("jwt", () -> "made-on-b");
        assertThat(a.sharedSecret("jwt", () -> "made-on-a")).isEqualTo(fromB).isEqualTo("made-on-b");
    }

    private static CollectionDef def(String id, String name, FieldDef... fields) {
        return new CollectionDef(id, name, CollectionType.BASE, true, false, List.of(fields),
                CollectionDef.Rules.SUPERUSERS_ONLY, T0, T0, List.of());
    }

    private static String id(int i) {
        return "n" + String.format("%014d", i);
    }

    private static Record rec(String id, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return new Record(id, T0, T0, 1, m);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) fail("condition not met within " + DEADLINE);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
