package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.filter.Filters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single-record writes and reads, optimistic versions, and unique fields. */
public abstract class CrudContract extends ContractSupport {

    @BeforeEach
    void collection() {
        save(def("posts", text("title"), number("views").withIndexed(true), text("slug").withUnique(true),
                number("rank").withUnique(true), json("meta")));
    }

    @Test
    void createThenGetReturnsTheRecord() {
        Record r = new Record(newId(), "2026-01-02T03:04:05.678Z", "2026-01-02T03:04:05.678Z", 1,
                data("title", "Hello ✓ \uD83D\uDE00", "views", 42L, "slug", "hello", "meta",
                        Map.of("a", List.of(1L, "x", true), "b", Map.of("c", 2.5))));
        List<Change> changes = write(new WriteOp.Create("posts", r));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).action()).isEqualTo(Change.Action.CREATE);
        assertSameRecord(changes.get(0).record(), r);
        assertSameRecord(get("posts", r.id()), r);
        assertThat(store.count("posts", null)).isEqualTo(1);
        assertClean();
    }

    @Test
    void createWithAnExistingIdIsAUniqueViolationOnId() {
        Record r = create("posts", rec(newId(), "title", "first"));
        StoreException.UniqueViolation e = failure(
                store.write(List.of(new WriteOp.Create("posts", rec(r.id(), "title", "second")))),
                StoreException.UniqueViolation.class);
        assertThat(e.field()).isEqualTo("id");
        assertSameRecord(get("posts", r.id()), r);
        assertThat(store.count("posts", null)).isEqualTo(1);
        assertClean();
    }

    @Test
    void replaceWithTheExpectedVersionStoresTheNewVersion() {
        Record r = create("posts", rec(newId(), "title", "a", "views", 1L, "slug", "s"));
        Record v2 = next(r, "title", "b", "views", 2L, "slug", "s2");
        Change c = write(new WriteOp.Replace("posts", v2, 1)).get(0);
        assertThat(c.action()).isEqualTo(Change.Action.UPDATE);
        assertSameRecord(c.record(), v2);
        assertSameRecord(get("posts", r.id()), v2);
        Record v3 = next(v2, "title", "c");
        write(new WriteOp.Replace("posts", v3, 2));
        assertSameRecord(get("posts", r.id()), v3);
        assertThat(store.count("posts", Filters.parse("views = 2"))).isZero();
        assertThat(store.count("posts", Filters.parse("views = null"))).isEqualTo(1);
        assertClean();
    }

    @Test
    void replaceWithAStaleVersionIsAConflictAndChangesNothing() {
        Record r = create("posts", rec(newId(), "title", "a", "views", 1L, "slug", "s"));
        Record v2 = next(r, "title", "b", "views", 2L);
        write(new WriteOp.Replace("posts", v2, 1));
        Record stale = r.withData(data("title", "stale", "views", 9L, "slug", "other"), T0, 2);
        StoreException.VersionConflict e = failure(store.write(List.of(new WriteOp.Replace("posts", stale, 1))),
                StoreException.VersionConflict.class);
        assertThat(e.actual()).isEqualTo(2);
        assertSameRecord(get("posts", r.id()), v2);
        assertThat(store.count("posts", Filters.parse("views = 9"))).isZero();
        // the stale write did not take the unique value it carried
        create("posts", rec(newId(), "slug", "other"));
        assertClean();
    }

    @Test
    void deleteWithoutAndWithTheExpectedVersion() {
        Record a = create("posts", rec(newId(), "slug", "a", "views", 1L));
        Record b = create("posts", rec(newId(), "slug", "b", "views", 1L));
        Change c = write(new WriteOp.Delete("posts", a.id(), null)).get(0);
        assertThat(c.action()).isEqualTo(Change.Action.DELETE);
        assertSameRecord(c.record(), a);
        assertThat(store.get("posts", a.id())).isEmpty();

        StoreException.VersionConflict e = failure(store.write(List.of(new WriteOp.Delete("posts", b.id(), 7L))),
                StoreException.VersionConflict.class);
        assertThat(e.actual()).isEqualTo(1);
        assertSameRecord(get("posts", b.id()), b);

        write(new WriteOp.Delete("posts", b.id(), 1L));
        assertThat(store.get("posts", b.id())).isEmpty();
        assertThat(store.count("posts", null)).isZero();
        assertThat(store.count("posts", Filters.parse("views = 1"))).isZero();
        // deleted unique values are free again
        create("posts", rec(newId(), "slug", "a"));
        create("posts", rec(newId(), "slug", "b"));
        assertClean();
    }

    @Test
    void missingRecordsAndCollections() {
        assertThat(store.get("posts", newId())).isEmpty();
        failure(store.write(List.of(new WriteOp.Delete("posts", newId(), null))), StoreException.NotFound.class);
        failure(store.write(List.of(new WriteOp.Delete("posts", newId(), 1L))), StoreException.NotFound.class);
        failure(store.write(List.of(new WriteOp.Replace("posts", rec(newId()).withData(Map.of(), T0, 2), 1))),
                StoreException.NotFound.class);
        failure(store.write(List.of(new WriteOp.Create("nope", rec(newId())))), StoreException.NotFound.class);
        assertThatThrownBy(() -> store.get("nope", newId())).isInstanceOf(StoreException.NotFound.class);
        assertThatThrownBy(() -> store.count("nope", null)).isInstanceOf(StoreException.NotFound.class);
        assertThatThrownBy(() -> store.query(query("nope", null, 1, 10))).isInstanceOf(StoreException.NotFound.class);
        assertThat(store.count("posts", null)).isZero();
    }

    @Test
    void duplicateUniqueValueOnCreateIsRefused() {
        Record a = create("posts", rec(newId(), "slug", "hello", "rank", 1L));
        StoreException.UniqueViolation e = failure(
                store.write(List.of(new WriteOp.Create("posts", rec(newId(), "slug", "hello", "rank", 2L)))),
                StoreException.UniqueViolation.class);
        assertThat(e.field()).isEqualTo("slug");
        // 1 and 1.0 are one value
        e = failure(store.write(List.of(new WriteOp.Create("posts", rec(newId(), "slug", "x", "rank", 1.0)))),
                StoreException.UniqueViolation.class);
        assertThat(e.field()).isEqualTo("rank");
        assertThat(ids(all("posts"))).containsExactly(a.id());
        // other case, other type, other number: all distinct values
        create("posts", rec(newId(), "slug", "Hello", "rank", 1.5));
        create("posts", rec(newId(), "slug", "hello ", "rank", "1"));
        create("posts", rec(newId(), "slug", "héllo", "rank", -1L));
        assertThat(store.count("posts", null)).isEqualTo(4);
        assertClean();
    }

    @Test
    void duplicateUniqueValueOnReplaceIsRefusedAndChangesNothing() {
        Record a = create("posts", rec(newId(), "slug", "a", "views", 1L));
        Record b = create("posts", rec(newId(), "slug", "b", "views", 2L));
        StoreException.UniqueViolation e = failure(
                store.write(List.of(new WriteOp.Replace("posts", next(b, "slug", "a", "views", 3L), 1))),
                StoreException.UniqueViolation.class);
        assertThat(e.field()).isEqualTo("slug");
        assertSameRecord(get("posts", b.id()), b);
        assertSameRecord(get("posts", a.id()), a);
        assertThat(store.count("posts", Filters.parse("views = 3"))).isZero();
        // b still owns "b": nobody else may take it, b may keep it
        failure(store.write(List.of(new WriteOp.Create("posts", rec(newId(), "slug", "b")))),
                StoreException.UniqueViolation.class);
        Record b2 = next(b, "slug", "b", "views", 5L);
        write(new WriteOp.Replace("posts", b2, 1));
        assertSameRecord(get("posts", b.id()), b2);
        assertClean();
    }

    @Test
    void nullMissingAndEmptyUniqueValuesMayRepeat() {
        create("posts", rec(newId()));
        create("posts", rec(newId()));
        create("posts", rec(newId(), "slug", null, "rank", null));
        Record d = create("posts", rec(newId(), "slug", null));
        write(new WriteOp.Replace("posts", next(d, "slug", "x"), 1));
        write(new WriteOp.Replace("posts", next(next(d, "slug", "x"), "slug", null), 2));
        // an empty text is "no value" too: a text field defaults to "", and many records may leave it empty
        create("posts", rec(newId(), "slug", ""));
        Record e = create("posts", rec(newId(), "slug", ""));
        write(new WriteOp.Replace("posts", next(e, "slug", ""), 1));
        assertThat(store.count("posts", null)).isEqualTo(6);
        assertThat(store.count("posts", Filters.parse("slug = null && views = null"))).isEqualTo(4);
        assertThat(store.count("posts", Filters.parse("slug = \"\" && views = null"))).isEqualTo(2);
        assertClean();
    }

    @Test
    void equalityToNullOrEmptyOnAUniqueFieldIsCountedExactly() {
        create("posts", rec(newId()));
        create("posts", rec(newId(), "slug", null));
        create("posts", rec(newId(), "slug", "x"));
        create("posts", rec(newId(), "slug", ""));
        create("posts", rec(newId(), "slug", ""));
        for (String[] c : new String[][] {{"slug = null", "2"}, {"slug = \"\"", "2"}, {"slug = \"x\"", "1"}}) {
            Page p = store.query(query("posts", Filters.parse(c[0]), 1, 10));
            long want = Long.parseLong(c[1]);
            assertThat(p.items()).as(c[0]).hasSize((int) want);
            assertThat(p.totalItems()).as(c[0]).isEqualTo(want);
            assertThat(store.count("posts", Filters.parse(c[0]))).as(c[0]).isEqualTo(want);
        }
    }

    @Test
    void uniqueValuesCanMoveBetweenRecordsInOneTransaction() {
        Record a = create("posts", rec(newId(), "slug", "one"));
        Record b = create("posts", rec(newId(), "slug", "two"));
        write(new WriteOp.Replace("posts", next(a, "slug", "tmp"), 1),
                new WriteOp.Replace("posts", next(b, "slug", "one"), 1),
                new WriteOp.Replace("posts", next(next(a, "slug", "tmp"), "slug", "two"), 2));
        assertThat(get("posts", a.id()).data()).containsEntry("slug", "two");
        assertThat(get("posts", b.id()).data()).containsEntry("slug", "one");
        assertClean();
    }

    @Test
    void replacingAUniqueNumberByAnEqualNumberOfAnotherTypeKeepsIt() {
        Record r = create("posts", rec(newId(), "rank", 5L, "slug", "s"));
        Record r2 = next(r, "rank", 5.0, "slug", "s");
        write(new WriteOp.Replace("posts", r2, 1));
        Record r3 = next(r2, "rank", 5L, "slug", "s");
        write(new WriteOp.Replace("posts", r3, 2));
        assertThat(get("posts", r.id()).version()).isEqualTo(3);
        failure(store.write(List.of(new WriteOp.Create("posts", rec(newId(), "rank", 5.0)))),
                StoreException.UniqueViolation.class);
        assertClean();
    }

    @Test
    void aLongStringValueIsReadBack() {
        Record r = rec(newId(), "title", "x".repeat((1 << 20) + 1));
        create("posts", r);
        assertSameRecord(get("posts", r.id()), r);
        assertThat(all("posts")).hasSize(1);
        assertClean();
    }

    @Test
    void aValueTooLongForAnIndexIsRefusedOrStoredConsistently() {
        String huge = "x".repeat(5000);
        var f = store.write(List.of(new WriteOp.Create("posts", rec(newId(), "slug", huge, "views", 1L))));
        Throwable t = f.handle((v, e) -> e).join();
        if (t != null) {
            StoreException.InvalidValue e = (StoreException.InvalidValue) unwrap(t);
            assertThat(e.field()).isEqualTo("slug");
            assertThat(store.count("posts", null)).isZero();
        } else {
            assertThat(store.count("posts", Filters.parse("slug = \"" + huge + "\""))).isEqualTo(1);
        }
        // an unindexed field may hold it in any case
        create("posts", rec(newId(), "title", huge));
        assertClean();
    }
}
