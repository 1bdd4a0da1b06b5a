package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many writers at once: nothing lost, nothing doubled, optimistic versions hold under races. */
public abstract class ConcurrencyContract extends ContractSupport {
    static final String C = "conc";

    @Test
    void concurrentCreatesAllSucceedWithExactCounts() throws Exception {
        save(def(C, number("thread").withIndexed(true), text("key").withUnique(true), text("body")));
        int threads = 64;
        int perThread = 200;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Record r = rec(newId(), "thread", thread, "key", thread + "-" + i, "body", "x".repeat(i % 50));
                        join(store.write(List.of(new WriteOp.Create(C, r))));
                        acknowledged.add(r.id());
                        if (i % 50 == 0) store.count(C, null); // readers interleave with the writers
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(acknowledged).hasSize(threads * perThread);
        assertThat(store.count(C, null)).isEqualTo(threads * perThread);
        assertThat(ids(all(C))).containsExactlyInAnyOrderElementsOf(acknowledged);
        for (int t = 0; t < threads; t += 7) {
            assertThat(store.count(C, Filters.parse("thread = " + t))).isEqualTo(perThread);
        }
        assertThat(store.count(C, Filters.parse("key = \"5-199\""))).isEqualTo(1);
        assertClean();
    }

    @Test
    void concurrentReplacesOfOneVersionLetExactlyOneWin() throws Exception {
        save(def(C, number("n").withIndexed(true), text("who").withUnique(true)));
        Record r = create(C, rec(newId(), "n", 0L));
        int racers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 20; round++) {
                Record current = get(C, r.id());
                CyclicBarrier barrier = new CyclicBarrier(racers);
                List<Future<CompletableFuture<List<Change>>>> submitted = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    Record mine = next(current, "n", (long) i, "who", "r" + round + "-" + i);
                    submitted.add(pool.submit(() -> {
                        barrier.await();
                        return store.write(List.of(new WriteOp.Replace(C, mine, current.version())));
                    }));
                }
                int wins = 0;
                String winner = null;
                for (Future<CompletableFuture<List<Change>>> s : submitted) {
                    CompletableFuture<List<Change>> f = s.get(60, TimeUnit.SECONDS);
                    Throwable t = unwrap(f.handle((v, e) -> e).join());
                    if (t == null) {
                        wins++;
                        winner = (String) f.join().get(0).record().data().get("who");
                    } else {
                        assertThat(t).isInstanceOf(StoreException.VersionConflict.class);
                        assertThat(((StoreException.VersionConflict) t).actual()).isEqualTo(current.version() + 1);
                    }
                }
                assertThat(wins).as("round %d", round).isEqualTo(1);
                Record stored = get(C, r.id());
                assertThat(stored.version()).isEqualTo(current.version() + 1);
                assertThat(stored.data().get("who")).isEqualTo(winner);
                assertThat(store.count(C, Filters.parse("n != null"))).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertClean();
    }

    @Test
    void indexChangesWhileWritersRunKeepEveryIndexConsistent() throws Exception {
        CollectionDef plain = save(def(C, number("n"), text("s")));
        CollectionDef indexed = plain.withFields(List.of(number("n").withIndexed(true), text("s").withUnique(true)), T0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        Record r = rec(newId(), "n", (long) (i % 7), "s", thread + "/" + i);
                        join(store.write(List.of(new WriteOp.Create(C, r))));
                        acknowledged.add(r.id());
                    }
                    return null;
                }));
            }
            for (int k = 0; k < 10; k++) save(k % 2 == 0 ? indexed : plain); // build, drop, build … under load
            save(indexed);
            for (Future<?> f : writers) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.count(C, null)).isEqualTo(8 * 150);
        assertThat(ids(all(C))).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(store.count(C, Filters.parse("n = 3"))).isEqualTo(8 * 21);
        assertClean();
    }

    @Test
    void concurrentCreatesOfOneUniqueValueLetExactlyOneWin() throws Exception {
        save(def(C, text("key").withUnique(true)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "k" + round;
                CyclicBarrier barrier = new CyclicBarrier(8);
                List<Future<CompletableFuture<List<Change>>>> submitted = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    submitted.add(pool.submit(() -> {
                        barrier.await();
                        return store.write(List.of(new WriteOp.Create(C, rec(newId(), "key", key))));
                    }));
                }
                int wins = 0;
                for (Future<CompletableFuture<List<Change>>> s : submitted) {
                    Throwable t = unwrap(s.get(60, TimeUnit.SECONDS).handle((v, e) -> e).join());
                    if (t == null) wins++;
                    else assertThat(t).isInstanceOf(StoreException.UniqueViolation.class);
                }
                assertThat(wins).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.count(C, null)).isEqualTo(20);
        assertClean();
    }

    /**
     * Batches that update the same two records in opposite orders all succeed: a backend that locks rows may meet
     * a deadlock here, and must resolve it itself (the transactions are pure) rather than fail a caller's write.
     */
    @Test
    void batchesTouchingRecordsInOppositeOrdersAllSucceed() throws Exception {
        save(def(C, number("n")));
        Record a = create(C, rec(newId(), "n", 0L));
        Record b = create(C, rec(newId(), "n", 0L));
        java.util.function.UnaryOperator<Record> increment = r -> r.withData(
                data("n", (Long) r.data().get("n") + 1), T0, r.version() + 1);
        int threads = 6;
        int perThread = 30;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean reversed = t % 2 == 1;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        WriteOp first = new WriteOp.Update(C, (reversed ? b : a).id(), null, increment);
                        WriteOp second = new WriteOp.Update(C, (reversed ? a : b).id(), null, increment);
                        join(store.write(List.of(first, second)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (Record r : List.of(a, b)) {
            assertThat(get(C, r.id()).data()).containsEntry("n", (long) threads * perThread);
            assertThat(get(C, r.id()).version()).isEqualTo(1 + threads * perThread);
        }
        assertClean();
    }
}
