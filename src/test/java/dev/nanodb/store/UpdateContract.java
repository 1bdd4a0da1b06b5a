package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WriteOp.Update}: a change computed from the stored record inside the write, serialised with all others. */
public abstract class UpdateContract extends ContractSupport {
    static final String C = "upd";

    @BeforeEach
    void collection() {
        save(def(C, number("n").withIndexed(true), text("slug").withUnique(true), text("note")));
    }

    private static UnaryOperator<Record> setting(Object... kv) {
        return r -> {
            java.util.Map<String, Object> d = new java.util.LinkedHashMap<>(r.data());
            d.putAll(data(kv));
            return r.withData(d, "2026-05-05T00:00:00.000Z", r.version() + 1);
        };
    }

    @Test
    void theChangeReceivesTheStoredRecordAndItsResultIsStored() {
        Record r = create(C, rec(newId(), "n", 1L, "slug", "a", "note", "keep"));
        List<Record> seen = new ArrayList<>();
        Change c = write(new WriteOp.Update(C, r.id(), null, stored -> {
            seen.add(stored);
            return setting("n", 2L, "slug", "b").apply(stored);
        })).get(0);
        assertThat(seen).hasSize(1);
        assertSameRecord(seen.get(0), r);
        assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
        Record stored = get(C, r.id());
        assertSameRecord(c.record(), stored);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.data()).containsEntry("n", 2L).containsEntry("slug", "b").containsEntry("note", "keep");
        write(new WriteOp.Update(C, r.id(), 2L, setting("n", 3L)));
        assertThat(get(C, r.id()).version()).isEqualTo(3);
        assertThat(store.count(C, Filters.parse("n = 3"))).isEqualTo(1);
        assertThat(store.count(C, Filters.parse("n = 1 || n = 2"))).isZero();
        create(C, rec(newId(), "slug", "a")); // the old unique value is free
        assertClean();
    }

    @Test
    void failuresChangeNothing() {
        Record r = create(C, rec(newId(), "n", 1L, "slug", "a"));
        create(C, rec(newId(), "slug", "taken"));
        StoreException.VersionConflict vc = failure(store.write(List.of(new WriteOp.Update(C, r.id(), 7L, setting("n", 9L)))),
                StoreException.VersionConflict.class);
        assertThat(vc.actual()).isEqualTo(1);
        failure(store.write(List.of(new WriteOp.Update(C, newId(), null, setting("n", 9L)))), StoreException.NotFound.class);
        StoreException.UniqueViolation uv = failure(
                store.write(List.of(new WriteOp.Update(C, r.id(), null, setting("slug", "taken")))),
                StoreException.UniqueViolation.class);
        assertThat(uv.field()).isEqualTo("slug");
        IllegalArgumentException refusal = new IllegalArgumentException("no");
        StoreException.Rejected rejected = failure(store.write(List.of(new WriteOp.Update(C, r.id(), null, x -> {
            throw refusal;
        }))), StoreException.Rejected.class);
        assertThat(rejected.getCause()).isSameAs(refusal);
        // a change that does not produce the next version of the same record is refused
        failure(store.write(List.of(new WriteOp.Update(C, r.id(), null, x -> x.withData(x.data(), T0, x.version())))),
                StoreException.Rejected.class);
        failure(store.write(List.of(new WriteOp.Update(C, r.id(), null, x -> rec(newId(), "n", 9L).withData(
                x.data(), T0, x.version() + 1)))), StoreException.Rejected.class);
        // a refused update fails its whole transaction
        failure(store.write(List.of(new WriteOp.Create(C, rec(newId(), "n", 9L)),
                new WriteOp.Update(C, r.id(), null, x -> {
                    throw refusal;
                }))), StoreException.Rejected.class);
        assertSameRecord(get(C, r.id()), r);
        assertThat(store.count(C, null)).isEqualTo(2);
        assertThat(store.count(C, Filters.parse("n = 9"))).isZero();
        assertClean();
    }

    @Test
    void anUpdateSeesEarlierOperationsOfItsTransaction() {
        Record r = create(C, rec(newId(), "n", 1L));
        write(new WriteOp.Replace(C, next(r, "n", 5L), 1), new WriteOp.Update(C, r.id(), 2L, x -> {
            long n = (Long) x.data().get("n");
            return x.withData(data("n", n * 10), T0, x.version() + 1);
        }));
        assertThat(get(C, r.id()).data()).containsEntry("n", 50L);
        assertThat(get(C, r.id()).version()).isEqualTo(3);
    }

    @Test
    void concurrentUpdatesOfOneRecordNeverFailEachOther() throws Exception {
        Record r = create(C, rec(newId(), "n", 0L));
        int threads = 16;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        join(store.write(List.of(new WriteOp.Update(C, r.id(), null,
                                x -> x.withData(data("n", (Long) x.data().get("n") + 1), T0, x.version() + 1)))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        Record stored = get(C, r.id());
        assertThat(stored.data()).containsEntry("n", (long) threads * each);
        assertThat(stored.version()).isEqualTo(1 + threads * each);
        assertThat(store.count(C, Filters.parse("n = " + threads * each))).isEqualTo(1);
        assertClean();
    }
}
