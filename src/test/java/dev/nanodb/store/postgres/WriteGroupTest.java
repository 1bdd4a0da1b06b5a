package dev.nanodb.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.CollectionType;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import dev.nanodb.store.Record;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.PgTestDatabase;
import java.util.ArrayList;
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
 * Calls committed together stay independent: in a burst of writes where some fail (a duplicate unique value, a
 * stale version, a missing record, a batch whose last op fails), each call gets its own answer, the failures leave
 * nothing behind, the successes are all stored and published once, and the burst really was grouped.
 */
class WriteGroupTest {
    private static final String T0 = "2026-01-01T00:00:00.000Z";

    private PostgresStore store;
    private String schema;
    private final List<Change> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        PgTestDatabase.assumeAvailable();
        // one writer thread: every call queued behind a running commit joins the next group
        schema = PgTestDatabase.freshSchema();
        store = new PostgresStore(PgTestDatabase.url(), schema, 1);
        store.addChangeListener(published::addAll);
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void eachCallOfAGroupSucceedsOrFailsAlone() throws Exception {
        store.saveCollection(dev.nanodb.collections.CountedFields.derive(new CollectionDef("pbc_groups00001", "g", CollectionType.BASE, true, false,
                List.of(FieldDef.of("u", FieldType.TEXT).withIndexed(true).withUnique(true)),
                // a list rule on u: its counts rows change inside the savepoints that fail, and check() compares them
                new CollectionDef.Rules("u = @request.auth.id", null, null, null, null), T0, T0, List.of()))).get(30, TimeUnit.SECONDS);
        store.write(List.of(new WriteOp.Create("g", rec("v0000000000000", "taken")))).get(30, TimeUnit.SECONDS);
        published.clear();

        List<CompletableFuture<List<Change>>> calls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = String.format("w%014d", i);
            List<WriteOp> ops = switch (i % 5) {
                case 0 -> List.of(new WriteOp.Create("g", rec(id, "taken")));
                case 1 -> List.of(new WriteOp.Update("g", "v0000000000000", 99L, r -> r.withData(Map.of("u", "x"), T0, r.version() + 1)));
                case 2 -> List.of(new WriteOp.Delete("g", "missing" + i, null));
                case 3 -> List.of(new WriteOp.Create("g", rec(id, "a" + i)), new WriteOp.Delete("g", "missing" + i, null));
                default -> {
                    expected.add(id);
                    yield List.of(new WriteOp.Create("g", rec(id, "ok" + i)));
                }
            };
            calls.add(store.write(ops));
        }
        for (int i = 0; i < calls.size(); i++) {
            CompletableFuture<List<Change>> call = calls.get(i);
            if (i % 5 == 4) {
                String id = String.format("w%014d", i);
                assertThat(call.get(30, TimeUnit.SECONDS)).singleElement().satisfies(c -> assertThat(c.record().id()).isEqualTo(id));
                continue;
            }
            Class<?> error = switch (i % 5) {
                case 0 -> StoreException.UniqueViolation.class;
                case 1 -> StoreException.VersionConflict.class;
                default -> StoreException.NotFound.class;
            };
            assertThat(call).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                    .havingCause().isInstanceOf(error);
        }
        for (int i = 0; i < 200; i++) {
            String id = String.format("w%014d", i);
            assertThat(store.get("g", id).isPresent()).as(id).isEqualTo(expected.contains(id));
        }
        assertThat(store.get("g", "v0000000000000").orElseThrow().version()).isEqualTo(1);
        waitFor(() -> published.size() >= expected.size());
        assertThat(published.stream().map(c -> c.record().id()).toList()).containsExactlyElementsOf(expected);
        assertThat(store.check().problems()).isEmpty();
        assertThat(store.stats().maxGroup()).as("largest group").isGreaterThan(1);
        assertThat(store.stats().commits()).as("commits for 40 successful calls").isLessThan(40);
    }

    /**
     * Two nodes group-commit writes that touch the same counts rows and records in every order: the commit lock
     * taken first keeps them from deadlocking (before it, such groups deadlocked until their retries ran out).
     */
    @Test
    void groupsOfTwoNodesNeverDeadlockOverCountsOrRecords() throws Exception {
        store.saveCollection(new CollectionDef("pbc_groups00002", "h", CollectionType.BASE, true, false,
                List.of(FieldDef.of("s", FieldType.TEXT).withIndexed(true)), CollectionDef.Rules.SUPERUSERS_ONLY, T0, T0, List.of()))
                .get(30, TimeUnit.SECONDS);
        try (PostgresStore other = new PostgresStore(PgTestDatabase.url(), schema, 4)) {
            List<CompletableFuture<List<Change>>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                PostgresStore node = i % 2 == 0 ? store : other;
                String a = "s" + (i % 7);
                String b = "s" + ((i * 3) % 7);
                calls.add(node.write(List.of(new WriteOp.Create("h", new Record(String.format("x%014d", i), T0, T0, 1, Map.of("s", a))),
                        new WriteOp.Create("h", new Record(String.format("y%014d", i), T0, T0, 1, Map.of("s", b))))));
            }
            for (CompletableFuture<List<Change>> call : calls) assertThat(call.get(60, TimeUnit.SECONDS)).hasSize(2);
            calls.clear();
            for (int i = 0; i < 400; i++) {
                PostgresStore node = i % 2 == 0 ? store : other;
                String first = String.format("x%014d", i % 20);
                String second = String.format("x%014d", 19 - i % 20);
                String value = "s" + (i % 5);
                calls.add(node.write(List.of(new WriteOp.Update("h", first, null, r -> r.withData(Map.of("s", value), T0, r.version() + 1)))));
                calls.add(node.write(List.of(new WriteOp.Update("h", second, null, r -> r.withData(Map.of("s", value), T0, r.version() + 1)))));
            }
            for (CompletableFuture<List<Change>> call : calls) assertThat(call.get(60, TimeUnit.SECONDS)).hasSize(1);
        }
        assertThat(store.check().problems()).isEmpty();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < end) Thread.sleep(10);
    }

    private static Record rec(String id, String u) {
        return new Record(id, T0, T0, 1, Map.of("u", u));
    }
}
