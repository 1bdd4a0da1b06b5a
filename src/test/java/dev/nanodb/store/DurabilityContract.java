package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Storage growth and what survives closing and reopening the store. */
public abstract class DurabilityContract extends ContractSupport {
    static final String C = "dur";

    @Test
    void writingSeveralMegabytesGrowsTheStorage() {
        save(def(C, number("i").withIndexed(true), text("tag").withUnique(true), text("body")));
        Random rnd = new Random(3);
        List<Record> written = new ArrayList<>();
        for (int batch = 0; batch < 60; batch++) {
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int n = batch * 25 + i;
                char[] body = new char[3000 + rnd.nextInt(2000)];
                for (int k = 0; k < body.length; k++) body[k] = (char) ('a' + rnd.nextInt(26));
                Record r = rec(newId(), "i", (long) n, "tag", "tag-" + n, "body", new String(body));
                ops.add(new WriteOp.Create(C, r));
                written.add(r);
            }
            join(store.write(ops));
        }
        // one record larger than the initial storage on its own (each string below 1 MiB: see CrudContract)
        Record big = rec(newId(), "i", -1L, "tag", "big", "body", "y".repeat(900_000), "more", "z".repeat(900_000),
                "most", "w".repeat(900_000));
        create(C, big);
        written.add(big);

        assertThat(store.count(C, null)).isEqualTo(written.size());
        for (int k = 0; k < written.size(); k += 97) assertSameRecord(get(C, written.get(k).id()), written.get(k));
        assertSameRecord(get(C, big.id()), big);
        assertThat(store.count(C, Filters.parse("i >= 1000"))).isEqualTo(500);
        assertThat(ids(all(C))).isEqualTo(ids(written));
        assertThat(store.stats().recordsPerCollection()).containsEntry(C, (long) written.size());
        assertClean();
    }

    @Test
    void everythingSurvivesReopening() {
        CollectionDef c = save(def("before", number("n").withIndexed(true), text("u").withUnique(true), text("s")));
        save(def("gone", text("x")));
        create("gone", rec(newId(), "x", "y"));
        List<Record> kept = new ArrayList<>();
        for (int i = 0; i < 300; i++) kept.add(create("before", rec(newId(), "n", (long) (i % 10), "u", "u" + i, "s", "s" + i)));
        Record updated = next(kept.get(3), "n", 99L, "u", "moved", "s", "changed");
        write(new WriteOp.Replace("before", updated, 1));
        kept.set(3, updated);
        write(new WriteOp.Delete("before", kept.get(4).id(), null));
        kept.remove(4);
        join(store.deleteCollection(store.collection("gone").orElseThrow().id()));
        // a rename and a new index, both over existing records
        CollectionDef renamed = save(c.withName("after", T0).withFields(
                List.of(number("n").withIndexed(true), text("u").withUnique(true), text("s").withIndexed(true)), T0));

        reopen();

        assertThat(store.collection("after")).contains(renamed);
        assertThat(store.collection(c.id())).contains(renamed);
        assertThat(store.collection("before")).isEmpty();
        assertThat(store.collection("gone")).isEmpty();
        List<Record> stored = all("after");
        assertThat(ids(stored)).isEqualTo(ids(kept));
        for (int i = 0; i < kept.size(); i++) assertSameRecord(stored.get(i), kept.get(i));
        assertThat(store.count("after", Filters.parse("n = 3"))).isEqualTo(29);
        assertThat(store.count("after", Filters.parse("s = \"changed\""))).isEqualTo(1);
        assertThat(store.count("after", Filters.parse("u = \"moved\""))).isEqualTo(1);
        assertClean();
        // still writable, and the constraints still hold
        failure(store.write(List.of(new WriteOp.Create("after", rec(newId(), "u", "u7")))),
                StoreException.UniqueViolation.class);
        failure(store.write(List.of(new WriteOp.Replace("after", next(updated, "n", 1L), 1))),
                StoreException.VersionConflict.class);
        create("after", rec(newId(), "u", "u4"));
        reopen();
        assertThat(store.count("after", null)).isEqualTo(kept.size() + 1);
        assertClean();
    }

    /**
     * {@link Store#close} finishes every write submitted before it: each of these writes was accepted (its future
     * returned before close began), so each must succeed and be stored after reopening. Counting only the writes
     * that happened to succeed would let a close that fails its queue pass.
     */
    @Test
    void closingWaitsForWritesAlreadyAccepted() {
        save(def(C, number("i").withIndexed(true)));
        List<java.util.concurrent.CompletableFuture<List<Change>>> pending = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Record r = rec(newId(), "i", (long) i);
            ids.add(r.id());
            pending.add(store.write(List.of(new WriteOp.Create(C, r))));
        }
        reopen();
        assertThat(pending).allSatisfy(f -> assertThat(f).isDone());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).isCompletedExceptionally()) {
                failed.add(ids.get(i) + ": " + pending.get(i).handle((v, e) -> unwrap(e)).join());
            }
        }
        assertThat(failed).as("accepted writes that failed").isEmpty();
        assertThat(ids(all(C))).isEqualTo(ids);
        assertThat(store.count(C, Filters.parse("i >= 250"))).isEqualTo(250);
        assertClean();
    }
}
