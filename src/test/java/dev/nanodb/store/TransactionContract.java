package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Filters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Atomic multi-operation writes and the change feed. */
public abstract class TransactionContract extends ContractSupport {
    static final String C = "tx";

    /** Every published batch, as it arrived, with whether its records were readable when it arrived. */
    protected final List<List<Change>> published = new CopyOnWriteArrayList<>();
    protected final List<String> notVisibleOnPublish = new CopyOnWriteArrayList<>();
    protected CollectionDef coll;

    @BeforeEach
    void setUp() {
        coll = save(def(C, text("slug").withUnique(true), number("n").withIndexed(true), text("note")));
        store.addChangeListener(changes -> {
            published.add(List.copyOf(changes));
            for (Change c : changes) {
                boolean present = store.get(C, c.record().id()).isPresent();
                if (present == (c.action() == Change.Action.DELETE)) notVisibleOnPublish.add(c.action() + " " + c.record().id());
            }
        });
    }

    /** A marker write; once its batch is published every earlier commit has been published too. */
    private List<Change> barrier() {
        List<Change> mine = write(new WriteOp.Create(C, rec(newId(), "note", "barrier")));
        assertThat(published).isNotEmpty();
        assertThat(published.get(published.size() - 1)).isEqualTo(mine);
        return mine;
    }

    private void assertAtomicFailure(Function<List<Record>, WriteOp> failing, Class<? extends StoreException> type) {
        Record a = create(C, rec(newId(), "slug", "a", "n", 1L));
        Record b = create(C, rec(newId(), "slug", "b", "n", 2L));
        barrier();
        int batches = published.size();
        List<Record> before = all(C);
        WriteOp op1 = new WriteOp.Create(C, rec(newId(), "slug", "new", "n", 3L));
        WriteOp op2 = new WriteOp.Replace(C, next(a, "slug", "a2", "n", 10L), 1);
        WriteOp op3 = failing.apply(List.of(a, b));
        failure(store.write(List.of(op1, op2, op3)), type);

        List<Record> after = all(C);
        assertThat(ids(after)).isEqualTo(ids(before));
        for (int i = 0; i < before.size(); i++) assertSameRecord(after.get(i), before.get(i));
        assertThat(store.count(C, Filters.parse("n = 3"))).isZero();
        assertThat(store.count(C, Filters.parse("n = 10"))).isZero();
        assertThat(store.count(C, Filters.parse("slug = \"new\""))).isZero();
        // the values the failed transaction would have taken or freed are as before
        create(C, rec(newId(), "slug", "new"));
        create(C, rec(newId(), "slug", "a2"));
        failure(store.write(List.of(new WriteOp.Create(C, rec(newId(), "slug", "a")))), StoreException.UniqueViolation.class);
        List<Change> marker = barrier();
        List<List<Change>> since = published.subList(batches, published.size());
        assertThat(since).hasSize(3);
        assertThat(since.get(2)).isEqualTo(marker);
        assertThat(since).allSatisfy(batch -> assertThat(batch).hasSize(1));
        assertClean();
    }

    @Test
    void aUniqueViolationInTheLastOperationAppliesNothing() {
        assertAtomicFailure(ab -> new WriteOp.Create(C, rec(newId(), "slug", "b")), StoreException.UniqueViolation.class);
    }

    @Test
    void aDuplicateIdInTheLastOperationAppliesNothing() {
        assertAtomicFailure(ab -> new WriteOp.Create(C, rec(ab.get(1).id())), StoreException.UniqueViolation.class);
    }

    @Test
    void aVersionConflictInTheLastOperationAppliesNothing() {
        assertAtomicFailure(ab -> new WriteOp.Replace(C, next(ab.get(1), "slug", "b"), 5),
                StoreException.VersionConflict.class);
    }

    @Test
    void aStaleDeleteInTheLastOperationAppliesNothing() {
        assertAtomicFailure(ab -> new WriteOp.Delete(C, ab.get(1).id(), 9L), StoreException.VersionConflict.class);
    }

    @Test
    void aMissingRecordInTheLastOperationAppliesNothing() {
        assertAtomicFailure(ab -> new WriteOp.Delete(C, newId(), null), StoreException.NotFound.class);
    }

    @Test
    void aMissingCollectionInTheLastOperationAppliesNothing() {
        assertAtomicFailure(ab -> new WriteOp.Create("nope", rec(newId())), StoreException.NotFound.class);
    }

    @Test
    void aSuccessfulTransactionAppliesAllAndPublishesOnceInOrder() {
        Record a = create(C, rec(newId(), "slug", "a", "n", 1L));
        Record b = create(C, rec(newId(), "slug", "b", "n", 2L));
        barrier();
        int batches = published.size();
        Record c = rec(newId(), "slug", "c", "n", 3L);
        Record a2 = next(a, "slug", "b", "n", 1L);
        List<Change> changes = write(new WriteOp.Delete(C, b.id(), 1L), new WriteOp.Replace(C, a2, 1),
                new WriteOp.Create(C, c));

        assertThat(changes).extracting(Change::action)
                .containsExactly(Change.Action.DELETE, Change.Action.UPDATE, Change.Action.CREATE);
        assertSameRecord(changes.get(0).record(), b);
        assertSameRecord(changes.get(1).record(), a2);
        assertSameRecord(changes.get(2).record(), c);
        assertThat(changes).allSatisfy(ch -> {
            assertThat(ch.collection()).isEqualTo(C);
            assertThat(ch.collectionId()).isEqualTo(coll.id());
        });
        assertThat(changes.get(0).seq()).isLessThan(changes.get(1).seq());
        assertThat(changes.get(1).seq()).isLessThan(changes.get(2).seq());

        List<Change> marker = barrier();
        assertThat(published.subList(batches, published.size())).containsExactly(changes, marker);
        assertThat(marker.get(0).seq()).isGreaterThan(changes.get(2).seq());
        assertSameRecord(get(C, a.id()), a2);
        assertSameRecord(get(C, c.id()), c);
        assertThat(store.get(C, b.id())).isEmpty();
        assertClean();
    }

    @Test
    void laterOperationsSeeTheEarlierOnesOfTheirTransaction() {
        Record a = create(C, rec(newId(), "slug", "a", "n", 1L));
        Record x = rec(newId(), "slug", "x", "n", 5L);
        Record x2 = next(x, "slug", "y", "n", 6L);
        List<Change> changes = write(new WriteOp.Create(C, x), new WriteOp.Replace(C, x2, 1),
                new WriteOp.Delete(C, a.id(), 1L), new WriteOp.Create(C, rec(a.id(), "slug", "a", "n", 2L)),
                new WriteOp.Create(C, rec(newId(), "slug", "x")));
        assertThat(changes).hasSize(5);
        assertSameRecord(get(C, x.id()), x2);
        assertThat(get(C, a.id()).data()).containsEntry("n", 2L);
        assertThat(store.count(C, null)).isEqualTo(3);
        assertThat(store.count(C, Filters.parse("n = 1"))).isZero();
        assertThat(store.count(C, Filters.parse("n = 6"))).isEqualTo(1);
        // and a unique value taken earlier in the same transaction is taken
        failure(store.write(List.of(new WriteOp.Create(C, rec(newId(), "slug", "q")),
                new WriteOp.Create(C, rec(newId(), "slug", "q")))), StoreException.UniqueViolation.class);
        assertThat(store.count(C, null)).isEqualTo(3);
        assertClean();
    }

    @Test
    void theFeedCarriesCreateUpdateDeleteWithTheirRecordsAfterCommit() {
        Record r = rec(newId(), "slug", "x", "n", 1L, "note", "hi");
        create(C, r);
        Record r2 = next(r, "slug", "y", "n", 2L, "note", "hi again");
        write(new WriteOp.Replace(C, r2, 1));
        failure(store.write(List.of(new WriteOp.Replace(C, next(r, "slug", "z"), 1))), StoreException.VersionConflict.class);
        failure(store.write(List.of(new WriteOp.Create(C, rec(r.id())))), StoreException.UniqueViolation.class);
        write(new WriteOp.Delete(C, r.id(), 2L));
        failure(store.write(List.of(new WriteOp.Delete(C, r.id(), null))), StoreException.NotFound.class);
        barrier();

        List<Change> all = published.stream().flatMap(List::stream).filter(c -> c.record().id().equals(r.id())).toList();
        assertThat(all).extracting(Change::action)
                .containsExactly(Change.Action.CREATE, Change.Action.UPDATE, Change.Action.DELETE);
        assertSameRecord(all.get(0).record(), r);
        assertSameRecord(all.get(1).record(), r2);
        assertSameRecord(all.get(2).record(), r2);
        assertThat(notVisibleOnPublish).as("changes published before they were readable").isEmpty();
        List<Long> seqs = published.stream().flatMap(List::stream).map(Change::seq).toList();
        List<Long> sorted = new ArrayList<>(seqs);
        Collections.sort(sorted);
        assertThat(seqs).isEqualTo(sorted).doesNotHaveDuplicates();
    }

    @Test
    void everyListenerGetsEveryBatchAndAFailingListenerHarmsNobody() {
        List<List<Change>> second = new CopyOnWriteArrayList<>();
        store.addChangeListener(changes -> {
            throw new IllegalStateException("listener failure is the listener's problem");
        });
        store.addChangeListener(second::add);
        for (int i = 0; i < 5; i++) create(C, rec(newId(), "n", (long) i));
        barrier();
        assertThat(second).hasSize(6);
        assertThat(published.subList(published.size() - 6, published.size())).isEqualTo(second);
        assertThat(store.count(C, null)).isEqualTo(6);
    }

    @Test
    void anEmptyTransactionChangesNothing() {
        List<Change> none = join(store.write(List.of()));
        assertThat(none).isEmpty();
        assertThat(store.count(C, null)).isZero();
        create(C, rec(newId()));
        assertThat(published.stream().mapToInt(List::size).sum()).isEqualTo(1);
    }
}
