package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Relation integrity ({@link RelationActions}) on every backend: writes add only ids of existing records, and a
 * delete unsets, cascades or is refused in its own transaction, publishing what it caused.
 */
public abstract class RelationContract extends ContractSupport {
    private final List<Change> published = new CopyOnWriteArrayList<>();
    private CollectionDef authors;

    @BeforeEach
    void setUp() {
        authors = save(def("authors", text("name")));
        store.addChangeListener(published::addAll);
    }

    private CollectionDef posts(FieldDef.Relation options, boolean required, Integer maxSelect) {
        return save(def("posts", text("title"), FieldDef.builder("author", FieldType.RELATION).required(required)
                .maxSelect(maxSelect).relation(options).build()));
    }

    private FieldDef.Relation to(CollectionDef target, boolean cascade) {
        return new FieldDef.Relation(target.id(), 0, cascade);
    }

    @Test
    void aCreateReferencingAMissingRecordIsRefusedAndStoresNothing() {
        posts(to(authors, false), false, 1);
        var refused = failure(store.write(List.of(new WriteOp.Create("posts", rec(newId(), "author", newId())))),
                StoreException.InvalidValue.class);
        assertThat(refused.field()).isEqualTo("author");
        assertThat(refused.code()).isEqualTo("validation_missing_rel_records");
        assertThat(all("posts")).isEmpty();
    }

    @Test
    void aTargetCreatedEarlierInTheSameTransactionCounts() {
        posts(to(authors, false), false, 1);
        String a = newId();
        write(new WriteOp.Create("authors", rec(a, "name", "Ann")), new WriteOp.Create("posts", rec(newId(), "author", a)));
        assertThat(all("posts")).hasSize(1);
        assertClean();
    }

    @Test
    void anUpdateMayKeepItsIdsButNotAddMissingOnes() {
        posts(to(authors, true), false, 3);
        Record a = create("authors", rec(newId(), "name", "Ann"));
        Record p = create("posts", rec(newId(), "author", List.of(a.id())));
        write(new WriteOp.Replace("posts", next(p, "author", List.of(a.id()), "title", "t"), 1));
        Record stored = get("posts", p.id());
        var refused = failure(store.write(List.of(new WriteOp.Replace("posts",
                next(stored, "author", List.of(a.id(), newId())), 2))), StoreException.InvalidValue.class);
        assertThat(refused.field()).isEqualTo("author");
        failure(store.write(List.of(new WriteOp.Update("posts", p.id(), null,
                r -> r.withData(data("author", List.of(newId())), T0, r.version() + 1)))), StoreException.InvalidValue.class);
        assertThat(get("posts", p.id()).data().get("author")).isEqualTo(List.of(a.id()));
    }

    @Test
    void deletingATargetUnsetsAnOptionalSingleRelationAndPublishesTheUpdate() {
        posts(to(authors, false), false, 1);
        Record a = create("authors", rec(newId(), "name", "Ann"));
        Record p = create("posts", rec(newId(), "title", "t", "author", a.id()));
        List<Change> answer = write(new WriteOp.Delete("authors", a.id(), null));
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).record().id()).isEqualTo(a.id());
        Record after = get("posts", p.id());
        assertThat(after.data().get("author")).isEqualTo("");
        assertThat(after.version()).isEqualTo(p.version() + 1);
        assertThat(published).anyMatch(c -> c.action() == Change.Action.UPDATE && c.record().id().equals(p.id()));
        assertClean();
    }

    @Test
    void deletingATargetRemovesItsIdFromMultipleRelationsAndKeepsTheOthers() {
        posts(to(authors, true), false, 5);
        Record a = create("authors", rec(newId(), "name", "Ann"));
        Record b = create("authors", rec(newId(), "name", "Bob"));
        Record p = create("posts", rec(newId(), "author", List.of(a.id(), b.id())));
        write(new WriteOp.Delete("authors", a.id(), null));
        assertThat(get("posts", p.id()).data().get("author")).isEqualTo(List.of(b.id()));
        write(new WriteOp.Delete("authors", b.id(), null));
        assertThat(store.get("posts", p.id())).as("cascade once the list is empty").isEmpty();
        assertClean();
    }

    @Test
    void cascadesFollowEveryLevelInOneTransaction() {
        posts(to(authors, true), false, 1);
        CollectionDef posts = store.collection("posts").orElseThrow();
        save(def("comments", text("body"), FieldDef.builder("post", FieldType.RELATION).relation(to(posts, true)).build()));
        Record a = create("authors", rec(newId(), "name", "Ann"));
        List<String> postIds = new ArrayList<>();
        List<String> commentIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            postIds.add(create("posts", rec(newId(), "author", a.id())).id());
            for (int j = 0; j < 3; j++) commentIds.add(create("comments", rec(newId(), "post", postIds.get(i))).id());
        }
        published.clear();
        write(new WriteOp.Delete("authors", a.id(), null));
        assertThat(all("posts")).isEmpty();
        assertThat(all("comments")).isEmpty();
        List<String> deleted = published.stream().filter(c -> c.action() == Change.Action.DELETE).map(c -> c.record().id()).toList();
        assertThat(deleted).contains(a.id()).containsAll(postIds).containsAll(commentIds).hasSize(1 + 5 + 15);
        assertClean();
    }

    @Test
    void aRequiredRelationRefusesTheDeleteAndNothingChanges() {
        posts(to(authors, false), true, 1);
        save(def("notes", FieldDef.builder("author", FieldType.RELATION).relation(to(authors, true)).build()));
        Record a = create("authors", rec(newId(), "name", "Ann"));
        Record n = create("notes", rec(newId(), "author", a.id()));
        Record p = create("posts", rec(newId(), "author", a.id()));
        var refused = failure(store.write(List.of(new WriteOp.Delete("authors", a.id(), null))), StoreException.Referenced.class);
        assertThat(refused.collection()).isEqualTo("posts");
        assertThat(refused.field()).isEqualTo("author");
        assertThat(get("authors", a.id())).isNotNull();
        assertThat(get("notes", n.id()).version()).isEqualTo(n.version());
        assertThat(get("posts", p.id()).data().get("author")).isEqualTo(a.id());
        assertClean();
    }

    @Test
    void aLongSelfReferencingChainCascadesWithoutRecursion() {
        CollectionDef nodes = def("nodes", text("label"));
        nodes = save(nodes.toBuilder().fields(List.of(text("label"), FieldDef.builder("parent", FieldType.RELATION)
                .relation(new FieldDef.Relation(nodes.id(), 0, true)).build())).build());
        String parent = create("nodes", rec(newId(), "label", "root")).id();
        String root = parent;
        for (int i = 0; i < 2_000; i++) parent = create("nodes", rec(newId(), "parent", parent)).id();
        write(new WriteOp.Delete("nodes", root, null));
        assertThat(all("nodes")).isEmpty();
        assertClean();
    }

    @Test
    void theConsistencyCheckNamesAnIdThatPointsAtNoRecord() {
        CollectionDef posts = save(def("posts", text("author")));
        Record a = create("authors", rec(newId(), "name", "Ann"));
        create("posts", rec(newId(), "author", a.id()));
        create("posts", rec(newId(), "author", "nosuchrecord00"));
        save(posts.toBuilder().fields(List.of(FieldDef.builder("author", FieldType.RELATION).relation(to(authors, false))
                .build())).build());
        assertThat(store.check().problems()).anyMatch(p -> p.contains("posts") && p.contains("author"));
    }

    @Test
    void aSemiJoinPagesInIdOrderWithExactTotals() {
        posts(to(authors, false), false, 1);
        List<String> authorIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) authorIds.add(create("authors", rec(newId(), "name", "a" + i)).id());
        List<String> expected = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 60; i++) {
            String author = authorIds.get(rnd.nextInt(5));
            String id = randomId(rnd);
            create("posts", rec(id, "author", author));
            if (author.equals(authorIds.get(1)) || author.equals(authorIds.get(3))) expected.add(id);
        }
        expected.sort(dev.nanodb.filter.Values::compareStrings);
        for (boolean scalar : new boolean[] {false, true}) {
            var member = new dev.nanodb.filter.Member(new dev.nanodb.filter.Field("author"),
                    java.util.Set.of(authorIds.get(1), authorIds.get(3)), false, scalar);
            assertThat(pages(member, expected.size())).as("scalar %s", scalar).isEqualTo(expected);
            var not = new dev.nanodb.filter.Not(member);
            assertThat(store.count("posts", not)).as("not, scalar %s", scalar).isEqualTo(60 - expected.size());
        }
    }

    /**
     * The same semi-join and ids lookup asked again after each kind of write that changes their answer — a new
     * first match, a removed first match, a relation moved away, a new target — answers from the data as written
     * (a backend may reuse what it read for an unchanged snapshot, never across a write).
     */
    @Test
    void aRepeatedSemiJoinSeesEveryWriteInBetween() {
        posts(to(authors, false), false, 1);
        String a = create("authors", rec(newId(), "name", "x")).id();
        String b = create("authors", rec(newId(), "name", "y")).id();
        var member = new dev.nanodb.filter.Member(new dev.nanodb.filter.Field("author"), java.util.Set.of(a), false, true);
        var named = cmp("name", dev.nanodb.filter.Op.EQ, "x");
        List<String> expected = new ArrayList<>();
        for (String id : List.of("m00000000000005", "m00000000000007")) expected.add(create("posts", rec(id, "author", a)).id());
        create("posts", rec("m00000000000006", "author", b));
        java.util.function.Consumer<String> check = step -> {
            List<String> sorted = new ArrayList<>(expected);
            sorted.sort(dev.nanodb.filter.Values::compareStrings);
            for (int i = 0; i < 2; i++) {
                assertThat(pages(member, sorted.size())).as(step).isEqualTo(sorted);
                assertThat(store.count("posts", member)).as(step).isEqualTo(sorted.size());
            }
        };
        check.accept("initial");
        expected.add(create("posts", rec("m00000000000001", "author", a)).id());
        check.accept("a new first match");
        write(new WriteOp.Delete("posts", "m00000000000001", null));
        expected.remove("m00000000000001");
        check.accept("the first match deleted");
        Record moved = get("posts", "m00000000000005");
        write(new WriteOp.Replace("posts", next(moved, "author", b), moved.version()));
        expected.remove("m00000000000005");
        check.accept("a relation moved away");
        assertThat(store.ids("authors", named, 10)).containsExactly(a);
        String c = create("authors", rec(newId(), "name", "x")).id();
        assertThat(store.ids("authors", named, 10)).containsExactlyInAnyOrder(a, c);
    }

    private List<String> pages(dev.nanodb.filter.Expr member, long total) {
        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 20; page++) {
            Page p = store.query(query("posts", member, page, 7));
            assertThat(p.totalItems()).isEqualTo(total);
            paged.addAll(ids(p.items()));
            if (p.items().size() < 7) break;
        }
        return paged;
    }

    @Test
    void getAllReadsTheExistingRecordsAmongIds() {
        Record a = create("authors", rec(newId(), "name", "Ann"));
        Record b = create("authors", rec(newId(), "name", "Bob"));
        var found = store.getAll("authors", List.of(a.id(), "nosuchrecord001", b.id()));
        assertThat(found).containsOnlyKeys(a.id(), b.id());
        assertThat(found.get(b.id()).data()).isEqualTo(b.data());
        assertThat(store.getAll("authors", List.of())).isEmpty();
    }

    @Test
    void idsAnswersAFilterWithTheMatchingIdsUpToTheLimit() {
        List<String> named = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Record r = create("authors", rec(newId(), "name", i % 3 == 0 ? "x" : "y"));
            if (i % 3 == 0) named.add(r.id());
        }
        assertThat(store.ids("authors", cmp("name", dev.nanodb.filter.Op.EQ, "x"), 100)).containsExactlyInAnyOrderElementsOf(named);
        assertThat(store.ids("authors", cmp("name", dev.nanodb.filter.Op.EQ, "x"), 2)).hasSize(2).isSubsetOf(named);
        assertThat(store.ids("authors", null, 1000)).hasSize(12);
    }
}
