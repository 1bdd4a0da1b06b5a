package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Printer;
import dev.nanodb.filter.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random sequences of transactions (creates, replaces, updates, deletes; right and wrong versions; unique
 * collisions; missing records) and random filtered, sorted, paged queries, each compared with an in-memory
 * model that applies the contract's rules. A failing seed reproduces exactly.
 */
public abstract class ModelContract extends ContractSupport {
    static final String C = "model";
    private static final Object[] N = {null, -2L, -0.5, 0L, 1L, 1.0, 3L, 7.25, "1", true};
    /** 5 and 5.0 in one pool would hit CrudContract#replacingAUniqueNumberByAnEqualNumberOfAnotherTypeKeepsIt. */
    private static final Object[] U = {null, "u0", "u1", "u2", "U1", "u3", 5L, 6.5, "é", ""};
    private static final Object[] S = {null, "", "a", "ab", "B", "b", "é", "\uD83D\uDE00", 2L, false};
    private static final Object[] LIT = {null, -1L, 0L, 1L, 1.0, 3L, 5L, 8L, "", "a", "A", "b", "u1", "U", "é", "1",
        true, false, "%", "a%", "%1"};
    private static final String[] CREATED = {"2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z",
        "2025-01-01T00:00:00.000Z"};
    private static final String[] FIELDS = {"n", "u", "s", "v", "tags", "id", "created", "_version"};

    /** The model: the committed records by id. */
    private final TreeMap<String, Record> model = new TreeMap<>(Values::compareStrings);
    private Random rnd;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomTransactionsAndQueriesAgreeWithTheModel(long seed) {
        rnd = new Random(seed);
        save(def(C, number("n").withIndexed(true), text("u").withUnique(true), text("s").withIndexed(true),
                json("v"), json("tags")));
        for (int step = 0; step < 250; step++) {
            int size = rnd.nextInt(5) == 0 ? 2 + rnd.nextInt(3) : 1;
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < size; i++) ops.add(randomOp());
            applyAndCompare(ops, "seed " + seed + " step " + step);
            if (step % 3 == 0) compareQuery("seed " + seed + " step " + step);
        }
        List<Record> stored = all(C);
        assertThat(ids(stored)).isEqualTo(new ArrayList<>(model.keySet()));
        for (Record r : stored) assertSameRecord(r, model.get(r.id()));
        assertThat(store.count(C, null)).isEqualTo(model.size());
        assertClean();
    }

    private WriteOp randomOp() {
        List<Record> existing = new ArrayList<>(model.values());
        int kind = existing.isEmpty() ? 0 : rnd.nextInt(10);
        if (kind < 4) {
            String id = !existing.isEmpty() && rnd.nextInt(12) == 0 ? pick(existing).id() : randomId(rnd);
            String created = CREATED[rnd.nextInt(CREATED.length)];
            return new WriteOp.Create(C, new Record(id, created, created, 1, randomData()));
        }
        Record target = rnd.nextInt(15) == 0 ? rec(randomId(rnd)) : pick(existing);
        long expected = rnd.nextInt(6) == 0 ? target.version() + (rnd.nextBoolean() ? 1 : -1) : target.version();
        String updated = "2026-06-0" + (1 + rnd.nextInt(9)) + "T00:00:00.000Z";
        if (kind < 6) return new WriteOp.Replace(C, target.withData(randomData(), updated, expected + 1), expected);
        if (kind < 8) {
            Map<String, Object> data = randomData();
            return new WriteOp.Update(C, target.id(), rnd.nextBoolean() ? null : expected,
                    r -> r.withData(data, updated, r.version() + 1));
        }
        return new WriteOp.Delete(C, target.id(), rnd.nextBoolean() ? null : expected);
    }

    private Record pick(List<Record> rs) {
        return rs.get(rnd.nextInt(rs.size()));
    }

    private Map<String, Object> randomData() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        maybePut(d, "n", N);
        maybePut(d, "u", U);
        maybePut(d, "s", S);
        maybePut(d, "v", LIT);
        if (rnd.nextBoolean()) {
            List<Object> tags = new ArrayList<>();
            for (int i = rnd.nextInt(3); i > 0; i--) tags.add(S[rnd.nextInt(S.length)]);
            d.put("tags", tags);
        }
        return d;
    }

    private void maybePut(Map<String, Object> d, String field, Object[] pool) {
        if (rnd.nextInt(6) > 0) d.put(field, pool[rnd.nextInt(pool.length)]);
    }

    /** Why an operation must fail on this state: the acceptable failures (empty = it succeeds). */
    private static Set<String> failures(TreeMap<String, Record> state, WriteOp op) {
        Set<String> out = new java.util.HashSet<>();
        switch (op) {
            case WriteOp.Create c -> {
                if (state.containsKey(c.record().id())) out.add("UniqueViolation:id");
                if (uniqueTaken(state, c.record())) out.add("UniqueViolation:u");
            }
            case WriteOp.Replace r -> {
                Record cur = state.get(r.record().id());
                if (cur == null) return Set.of("NotFound");
                if (cur.version() != r.expectedVersion()) out.add("VersionConflict");
                if (uniqueTaken(state, r.record())) out.add("UniqueViolation:u");
            }
            case WriteOp.Update u -> {
                Record cur = state.get(u.id());
                if (cur == null) return Set.of("NotFound");
                if (u.expectedVersion() != null && cur.version() != u.expectedVersion()) return Set.of("VersionConflict");
                if (uniqueTaken(state, u.change().apply(cur))) out.add("UniqueViolation:u");
            }
            case WriteOp.Delete d -> {
                Record cur = state.get(d.id());
                if (cur == null) return Set.of("NotFound");
                if (d.expectedVersion() != null && cur.version() != d.expectedVersion()) out.add("VersionConflict");
            }
            default -> throw new IllegalArgumentException("not generated here: " + op);
        }
        return out;
    }

    private static boolean uniqueTaken(TreeMap<String, Record> state, Record r) {
        Object u = r.data().get("u");
        if (u == null || "".equals(u)) return false; // null and "" may repeat in a unique field
        return state.values().stream().anyMatch(o -> !o.id().equals(r.id()) && Values.equal(o.data().get("u"), u));
    }

    private static void apply(TreeMap<String, Record> state, WriteOp op) {
        switch (op) {
            case WriteOp.Create c -> state.put(c.record().id(), c.record());
            case WriteOp.Replace r -> state.put(r.record().id(), r.record());
            case WriteOp.Update u -> state.put(u.id(), u.change().apply(state.get(u.id())));
            case WriteOp.Delete d -> state.remove(d.id());
            default -> throw new IllegalArgumentException("not generated here: " + op);
        }
    }

    private void applyAndCompare(List<WriteOp> ops, String where) {
        TreeMap<String, Record> next = new TreeMap<>(model);
        Set<String> expectedFailure = Set.of();
        for (WriteOp op : ops) {
            expectedFailure = failures(next, op);
            if (!expectedFailure.isEmpty()) break;
            apply(next, op);
        }
        CompletableFuture<List<Change>> f = store.write(ops);
        Throwable t = unwrap(f.handle((v, e) -> e).join());
        if (expectedFailure.isEmpty()) {
            assertThat(t).as("%s: %s should succeed", where, ops).isNull();
            model.clear();
            model.putAll(next);
        } else {
            assertThat(t).as("%s: %s should fail with %s", where, ops, expectedFailure).isNotNull();
            String got = t.getClass().getSimpleName()
                    + (t instanceof StoreException.UniqueViolation uv ? ":" + uv.field() : "");
            assertThat(expectedFailure).as("%s: %s failed with %s", where, ops, t).contains(got);
        }
    }

    private void compareQuery(String where) {
        Expr filter = randomFilter();
        List<SortKey> sort = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) sort.add(new SortKey(FIELDS[rnd.nextInt(FIELDS.length)], rnd.nextBoolean()));
        boolean exact = rnd.nextBoolean();
        if (exact) sort.add(new SortKey("id", rnd.nextBoolean()));
        SortKey[] keys = sort.toArray(SortKey[]::new);
        List<Record> want = model.values().stream().filter(r -> matches(filter, r)).sorted(order(keys)).toList();
        int perPage = 1 + rnd.nextInt(12);
        int page = 1 + rnd.nextInt(Math.max(1, (want.size() + perPage - 1) / perPage + 1));
        String what = where + " filter " + (filter == null ? "-" : Printer.print(filter)) + " sort " + sort
                + " page " + page + "/" + perPage;
        Page full = store.query(new Query(C, filter, sort, 1, 10_000, false));
        assertThat(full.totalItems()).as(what).isEqualTo(want.size());
        assertThat(SortPageContract.sortValues(full.items(), keys)).as(what)
                .isEqualTo(SortPageContract.sortValues(want, keys));
        assertThat(ids(full.items())).as(what).containsExactlyInAnyOrderElementsOf(ids(want));
        Page p = store.query(new Query(C, filter, sort, page, perPage, rnd.nextInt(4) == 0));
        int from = Math.min(want.size(), (page - 1) * perPage);
        List<Record> wantPage = (exact || sort.isEmpty() ? want : full.items()).subList(from, Math.min(want.size(), from + perPage));
        assertThat(ids(p.items())).as(what).isEqualTo(ids(wantPage));
        assertThat(p.totalItems()).as(what).isIn((long) want.size(), -1L);
        assertThat(store.count(C, filter)).as(what).isEqualTo(want.size());
    }

    private static Comparator<Record> order(SortKey[] keys) {
        return keys.length == 0 ? Comparator.comparing(Record::id, Values::compareStrings) : SortPageContract.order(keys);
    }

    private Expr randomFilter() {
        int terms = rnd.nextInt(4);
        if (terms == 0) return null;
        StringBuilder sb = new StringBuilder();
        Op[] ops = Op.values();
        for (int i = 0; i < terms; i++) {
            if (i > 0) sb.append(rnd.nextInt(3) == 0 ? " || " : " && ");
            String field = FIELDS[rnd.nextInt(FIELDS.length)];
            Object lit = field.equals("id") && !model.isEmpty() && rnd.nextBoolean()
                    ? new ArrayList<>(model.keySet()).get(rnd.nextInt(model.size())) : LIT[rnd.nextInt(LIT.length)];
            Op op = ops[rnd.nextInt(ops.length)];
            sb.append(Printer.print(cmp(field, op, lit)));
        }
        return Filters.parse(sb.toString());
    }
}
