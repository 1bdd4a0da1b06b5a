package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed {@link Store#write} names the operation that failed ({@link StoreException#operation()}), whatever
 * the kind of failure and wherever it sits in the list; the batch API relies on it to tell a client which of
 * its operations was refused. A refusing {@link WriteOp.Delete} check, like a refusing update, fails the whole
 * transaction with {@link StoreException.Rejected} and runs before the version comparison.
 */
public abstract class FailureIndexContract extends ContractSupport {
    static final String C = "fx";
    private Record a;
    private Record b;

    @BeforeEach
    void setUp() {
        save(def(C, text("slug").withUnique(true), number("n")));
        a = create(C, rec(newId(), "slug", "a", "n", 1L));
        b = create(C, rec(newId(), "slug", "b", "n", 2L));
    }

    private record Failing(String name, Function<FailureIndexContract, WriteOp> op,
                           Class<? extends StoreException> type) {}

    private static final RuntimeException REFUSED = new IllegalStateException("refused by the caller's check");

    private static final List<Failing> FAILURES = List.of(
            new Failing("unique violation", t -> new WriteOp.Create(C, rec(newId(), "slug", "b")),
                    StoreException.UniqueViolation.class),
            new Failing("duplicate id", t -> new WriteOp.Create(C, rec(t.b.id())), StoreException.UniqueViolation.class),
            new Failing("stale replace", t -> new WriteOp.Replace(C, next(t.b, "slug", "b"), 7),
                    StoreException.VersionConflict.class),
            new Failing("stale update", t -> new WriteOp.Update(C, t.b.id(), 7L, r -> next(r)),
                    StoreException.VersionConflict.class),
            new Failing("missing record", t -> new WriteOp.Delete(C, newId(), null), StoreException.NotFound.class),
            new Failing("missing collection", t -> new WriteOp.Create("nope", rec(newId())), StoreException.NotFound.class),
            new Failing("refusing update", t -> new WriteOp.Update(C, t.b.id(), null, r -> {
                throw REFUSED;
            }), StoreException.Rejected.class),
            new Failing("refusing delete check", t -> new WriteOp.Delete(C, t.b.id(), null, r -> {
                throw REFUSED;
            }), StoreException.Rejected.class),
            new Failing("stale delete", t -> new WriteOp.Delete(C, t.b.id(), 9L), StoreException.VersionConflict.class));

    @Test
    void everyKindOfFailureNamesItsOperationAtEveryPosition() {
        for (Failing f : FAILURES) {
            for (int position = 0; position < 3; position++) {
                List<WriteOp> ops = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ops.add(i == position ? f.op().apply(this) : new WriteOp.Create(C, rec(newId(), "n", 10L + i)));
                }
                StoreException e = failure(store.write(ops), f.type());
                assertThat(e.operation()).as("%s at %d", f.name(), position).isEqualTo(position);
                assertThat(store.count(C, null)).as("%s at %d applied nothing", f.name(), position).isEqualTo(2);
            }
        }
        assertSameRecord(get(C, b.id()), b);
        assertClean();
    }

    @Test
    void aRejectedDeleteCarriesTheCheckFailureAndKeepsTheRecord() {
        StoreException.Rejected e = failure(store.write(List.of(new WriteOp.Update(C, a.id(), null, r -> next(r, "n", 5L)),
                new WriteOp.Delete(C, a.id(), 99L, r -> {
                    assertThat(r.data()).as("the check sees the earlier operation's write").containsEntry("n", 5L);
                    throw REFUSED;
                }))), StoreException.Rejected.class);
        assertThat(e.getCause()).isSameAs(REFUSED);
        assertThat(e.operation()).isEqualTo(1);
        assertSameRecord(get(C, a.id()), a);
    }

    @Test
    void anAcceptingDeleteCheckDeletesTheVersionItSaw() {
        List<Record> seen = new ArrayList<>();
        List<Change> changes = write(new WriteOp.Update(C, a.id(), null, r -> next(r, "n", 6L)),
                new WriteOp.Delete(C, a.id(), 2L, seen::add));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).version()).isEqualTo(2);
        assertThat(changes.get(1).action()).isEqualTo(Change.Action.DELETE);
        assertThat(store.get(C, a.id())).isEmpty();
        assertClean();
    }
}
