package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Collection definitions: create, update, rename, delete, and index changes over existing records. */
public abstract class CollectionsContract extends ContractSupport {

    @Test
    void createdCollectionIsFoundByNameAndById() {
        CollectionDef saved = save(def("posts", text("title"), number("views").withIndexed(true)));
        assertThat(saved.name()).isEqualTo("posts");
        assertThat(store.collection("posts")).contains(saved);
        assertThat(store.collection(saved.id())).contains(saved);
        assertThat(store.collections()).contains(saved);
        assertThat(store.collection("nope")).isEmpty();
    }

    @Test
    void updateChangesTheDefinitionKeepingTheRecords() {
        CollectionDef c = save(def("posts", text("title")));
        Record r = create("posts", rec(newId(), "title", "hello"));
        CollectionDef updated = save(c.withFields(List.of(text("title"), number("views")), "2026-01-02T00:00:00.000Z"));
        assertThat(store.collection("posts")).contains(updated);
        assertThat(store.collection("posts").orElseThrow().field("views")).isPresent();
        assertSameRecord(get("posts", r.id()), r);
        assertClean();
    }

    @Test
    void renameKeepsRecordsUnderTheNewName() {
        CollectionDef c = save(def("posts", text("title").withIndexed(true), text("slug").withUnique(true)));
        List<Record> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) written.add(create("posts", rec(newId(), "title", "t" + (i % 3), "slug", "s" + i)));
        save(c.withName("articles", "2026-01-02T00:00:00.000Z"));

        assertThat(store.collection("posts")).isEmpty();
        assertThat(store.collection("articles")).map(CollectionDef::id).contains(c.id());
        assertThat(store.collection(c.id())).map(CollectionDef::name).contains("articles");
        assertThat(ids(all("articles"))).containsExactlyElementsOf(ids(written));
        for (Record r : written) assertSameRecord(get("articles", r.id()), r);
        assertThat(store.count("articles", Filters.parse("title = \"t1\""))).isEqualTo(7);
        // the unique index still holds under the new name
        Throwable dup = failure(store.write(List.of(new WriteOp.Create("articles", rec(newId(), "slug", "s3")))),
                StoreException.UniqueViolation.class);
        assertThat(((StoreException.UniqueViolation) dup).field()).isEqualTo("slug");
        // and the old name is free for a new collection
        save(def("posts", text("title")));
        assertThat(all("posts")).isEmpty();
        assertClean();
    }

    @Test
    void removingAFieldRemovesItsValuesFromEveryRecord() {
        CollectionDef c = save(def("posts", text("title").withIndexed(true), text("gone").withIndexed(true), text("also")));
        List<Record> written = new ArrayList<>();
        for (int i = 0; i < 25; i++) written.add(create("posts", rec(newId(), "title", "t" + i, "gone", "g" + i % 3, "also", "a")));
        save(c.withFields(List.of(text("title").withIndexed(true)), T0));
        for (Record r : written) {
            Record stored = get("posts", r.id());
            assertThat(stored.data()).containsOnlyKeys("title").containsEntry("title", r.data().get("title"));
        }
        assertThat(store.count("posts", Filters.parse("gone = null && also = null"))).isEqualTo(25);
        assertThat(store.count("posts", Filters.parse("title = \"t3\""))).isEqualTo(1);
        // declaring it again starts from nothing
        save(c.withFields(List.of(text("title").withIndexed(true), text("gone").withIndexed(true)), T0));
        assertThat(store.count("posts", Filters.parse("gone = \"g1\""))).isZero();
        assertClean();
    }

    @Test
    void applyCollectionsDeletesAndSavesInOneTransaction() {
        CollectionDef posts = save(def("posts", text("title").withIndexed(true)));
        CollectionDef tags = save(def("tags", text("label")));
        for (int i = 0; i < 5; i++) create("posts", rec(newId(), "title", "t" + i));
        create("tags", rec(newId(), "label", "x"));
        CollectionDef fresh = def("posts", number("views").withIndexed(true)); // takes the deleted one's name
        CollectionDef renamed = tags.withFields(List.of(text("label"), number("n")), "2026-01-02T00:00:00.000Z")
                .withName("labels", "2026-01-02T00:00:00.000Z");
        join(store.applyCollections(List.of(fresh, renamed), List.of(posts.id())));

        assertThat(store.collection(posts.id())).isEmpty();
        assertThat(store.collection("posts")).map(CollectionDef::id).contains(fresh.id());
        assertThat(all("posts")).isEmpty();
        assertThat(store.collection("tags")).isEmpty();
        assertThat(store.collection("labels").orElseThrow().field("n")).isPresent();
        assertThat(all("labels")).hasSize(1);
        create("posts", rec(newId(), "views", 3));
        assertThat(store.count("posts", Filters.parse("views = 3"))).isEqualTo(1);
        reopen();
        assertThat(store.collection("posts")).map(CollectionDef::id).contains(fresh.id());
        assertThat(store.collection("labels")).isPresent();
        assertClean();
    }

    @Test
    void applyCollectionsThatFailsPartWayChangesNothing() {
        CollectionDef posts = save(def("posts", text("slug")));
        CollectionDef tags = save(def("tags", text("label")));
        create("posts", rec(newId(), "slug", "same"));
        create("posts", rec(newId(), "slug", "same"));
        CollectionDef fresh = def("fresh", text("a"));
        // the last save builds a unique index over duplicates: the delete and the first save are undone with it
        CollectionDef unique = posts.withFields(List.of(text("slug").withUnique(true)), "2026-01-02T00:00:00.000Z");
        failure(store.applyCollections(List.of(fresh, unique), List.of(tags.id())), StoreException.UniqueViolation.class);
        // two collections with one name in the resulting set
        failure(store.applyCollections(List.of(def("tags", text("b"))), List.of()), StoreException.UniqueViolation.class);
        failure(store.applyCollections(List.of(fresh), List.of("pbc_nosuchthing")), StoreException.NotFound.class);

        assertThat(store.collection("fresh")).isEmpty();
        assertThat(store.collection("tags")).map(CollectionDef::id).contains(tags.id());
        assertThat(store.collection("posts").orElseThrow().field("slug").orElseThrow().unique()).isFalse();
        assertThat(all("posts")).hasSize(2);
        reopen();
        assertThat(store.collection("fresh")).isEmpty();
        assertThat(store.collection("tags")).isPresent();
        create("posts", rec(newId(), "slug", "same"));
        assertClean();
    }

    @Test
    void aNameTakenByAnotherCollectionIsRefused() {
        save(def("posts"));
        CollectionDef other = save(def("other"));
        failure(store.saveCollection(other.withName("posts", T0)), StoreException.UniqueViolation.class);
        assertThat(store.collection("other")).contains(other);
    }

    @Test
    void deleteRemovesTheCollectionAndItsRecords() {
        CollectionDef c = save(def("posts", text("title").withIndexed(true), text("slug").withUnique(true)));
        for (int i = 0; i < 30; i++) create("posts", rec(newId(), "title", "t" + i, "slug", "s" + i));
        save(def("keep", text("title").withIndexed(true)));
        Record kept = create("keep", rec(newId(), "title", "x"));

        join(store.deleteCollection(c.id()));

        assertThat(store.collection("posts")).isEmpty();
        assertThat(store.collection(c.id())).isEmpty();
        assertThat(store.collections()).extracting(CollectionDef::name).doesNotContain("posts");
        assertThatThrownBy(() -> store.get("posts", "x")).isInstanceOf(StoreException.NotFound.class);
        failure(store.write(List.of(new WriteOp.Create("posts", rec(newId())))), StoreException.NotFound.class);
        // a new collection of the same name starts empty, with free unique values
        save(def("posts", text("title").withIndexed(true), text("slug").withUnique(true)));
        assertThat(all("posts")).isEmpty();
        assertThat(store.count("posts", null)).isZero();
        assertThat(store.count("posts", Filters.parse("title = \"t1\""))).isZero();
        create("posts", rec(newId(), "slug", "s1"));
        assertSameRecord(get("keep", kept.id()), kept);
        assertClean();
    }

    @Test
    void deletingAMissingCollectionIsNotFound() {
        failure(store.deleteCollection("pbc_doesnotexist"), StoreException.NotFound.class);
    }

    @Test
    void makingAFieldUniqueOverDuplicatesFailsAndKeepsTheOldDefinition() {
        CollectionDef c = save(def("users", text("email"), text("name").withIndexed(true)));
        create("users", rec(newId(), "email", "a@x.io", "name", "A"));
        create("users", rec(newId(), "email", "b@x.io", "name", "B"));
        create("users", rec(newId(), "email", "a@x.io", "name", "C"));

        CollectionDef unique = c.withFields(List.of(text("email").withUnique(true), text("name").withIndexed(true)), T0);
        StoreException.UniqueViolation e = failure(store.saveCollection(unique), StoreException.UniqueViolation.class);
        assertThat(e.field()).isEqualTo("email");

        assertThat(store.collection("users")).contains(c);
        // still not unique: a third duplicate is accepted
        create("users", rec(newId(), "email", "a@x.io"));
        assertThat(store.count("users", Filters.parse("email = \"a@x.io\""))).isEqualTo(3);
        assertClean();
    }

    @Test
    void makingAFieldUniqueOverDistinctValuesEnforcesIt() {
        CollectionDef c = save(def("users", text("email")));
        create("users", rec(newId(), "email", "a@x.io"));
        create("users", rec(newId(), "email", "b@x.io"));
        create("users", rec(newId()));
        create("users", rec(newId(), "email", null));
        save(c.withFields(List.of(text("email").withUnique(true)), T0));
        StoreException.UniqueViolation e = failure(
                store.write(List.of(new WriteOp.Create("users", rec(newId(), "email", "b@x.io")))),
                StoreException.UniqueViolation.class);
        assertThat(e.field()).isEqualTo("email");
        assertThat(store.count("users", null)).isEqualTo(4);
        assertClean();
    }

    @Test
    void indexesAreBuiltForExistingRecordsAndDroppedCleanly() {
        CollectionDef c = save(def("items", number("n"), text("s"), text("u")));
        Object[] ns = {null, -3, -1.5, 0, 1, 1.0, 2.5, 7, 1e12, "7", true};
        Object[] ss = {null, "", "a", "B", "b", "ab", "é", "\uD83D\uDE00", "zz", 3};
        for (int i = 0; i < 60; i++) {
            Record r = i % 7 == 0 ? rec(newId())
                    : rec(newId(), "n", ns[i % ns.length], "s", ss[i % ss.length], "u", "u" + i);
            create("items", r);
        }
        List<Expr> filters = List.of(Filters.parse("n = 1"), Filters.parse("n > 0"), Filters.parse("n <= -1.5"),
                Filters.parse("n = null"), Filters.parse("n != null && n < 7"), Filters.parse("s >= \"b\""),
                Filters.parse("s = \"a\" || n = 7"), Filters.parse("s < \"b\""), Filters.parse("s ~ \"B\""),
                Filters.parse("u = \"u3\""), Filters.parse("u = null && n != 1"), Filters.parse("u > \"u5\""));
        List<SortKey[]> sorts = List.of(new SortKey[0], new SortKey[] {new SortKey("n", false)},
                new SortKey[] {new SortKey("s", true)}, new SortKey[] {new SortKey("n", true), new SortKey("s", false)});
        List<String> before = answers(filters, sorts);
        long[] countsBefore = counts(filters);

        CollectionDef indexed = save(c.withFields(
                List.of(number("n").withIndexed(true), text("s").withIndexed(true), text("u").withUnique(true)), T0));
        assertClean();
        assertSameAnswers(answers(filters, sorts), before);
        assertThat(counts(filters)).isEqualTo(countsBefore);

        // unique → plain index, then no index at all: same answers, nothing left over
        save(indexed.withFields(List.of(number("n"), text("s").withIndexed(true), text("u").withIndexed(true)), T0));
        assertClean();
        assertSameAnswers(answers(filters, sorts), before);
        save(indexed.withFields(List.of(number("n"), text("s"), text("u")), T0));
        assertClean();
        assertSameAnswers(answers(filters, sorts), before);
        assertThat(counts(filters)).isEqualTo(countsBefore);
    }

    /**
     * For each filter and sort: the total, and the answer. Unsorted answers come in id order; for sorted ones the
     * sort values must come in the same order, while records tying on them may be ordered by any plan.
     */
    private List<String> answers(List<Expr> filters, List<SortKey[]> sorts) {
        List<String> out = new ArrayList<>();
        for (Expr f : filters) {
            for (SortKey[] s : sorts) {
                Page p = store.query(query("items", f, 1, 1000, s));
                List<String> keys = p.items().stream()
                        .map(r -> Arrays.stream(s).map(k -> String.valueOf(norm(r.resolve(k.field())))).toList().toString())
                        .toList();
                List<String> idList = s.length == 0 ? ids(p.items()) : ids(p.items()).stream().sorted().toList();
                out.add(f + " " + Arrays.toString(s) + " total=" + p.totalItems() + " " + keys + " " + idList);
            }
        }
        return out;
    }

    private static void assertSameAnswers(List<String> after, List<String> before) {
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) assertThat(after.get(i)).isEqualTo(before.get(i));
    }

    private long[] counts(List<Expr> filters) {
        return filters.stream().mapToLong(f -> store.count("items", f)).toArray();
    }
}
