package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Printer;
import dev.nanodb.filter.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared fixture of the store contract: a fresh store per test (opened through the backend's
 * {@link #openStore}), and helpers that use only the {@link Store} interface and the model types. Nothing here
 * knows which backend runs.
 */
public abstract class ContractSupport {
    protected static final String T0 = "2026-01-01T00:00:00.000Z";
    private static final AtomicLong SEQ_IDS = new AtomicLong();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    @TempDir
    protected Path dir;
    protected Store store;
    private final List<Store> opened = new ArrayList<>();

    /** Opens a store over {@code dir} (a fresh, empty folder per test). */
    protected abstract Store openStore(Path dir);

    /** Opens again the data written by a closed store of {@link #openStore}{@code (dir)}. */
    protected Store reopenStore(Path dir) {
        return openStore(dir);
    }

    @BeforeEach
    void openFreshStore() {
        store = track(openStore(dir));
    }

    @AfterEach
    void closeStores() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (RuntimeException ignored) {
                // already closed by the test
            }
        }
        opened.clear();
    }

    protected Store track(Store s) {
        opened.add(s);
        return s;
    }

    /** Closes the current store and reopens its data. */
    protected void reopen() {
        store.close();
        opened.remove(store);
        store = track(reopenStore(dir));
    }

    // ---- ids, definitions, records ----

    /** A valid record id ({@code [a-z0-9]{15}}); successive calls sort ascending. */
    protected static String newId() {
        return "t" + String.format("%014d", SEQ_IDS.incrementAndGet());
    }

    protected static String randomId(Random rnd) {
        char[] c = new char[15];
        for (int i = 0; i < c.length; i++) c[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        return new String(c);
    }

    protected static FieldDef text(String name) {
        return FieldDef.of(name, FieldType.TEXT);
    }

    protected static FieldDef number(String name) {
        return FieldDef.of(name, FieldType.NUMBER);
    }

    protected static FieldDef json(String name) {
        return FieldDef.of(name, FieldType.JSON);
    }

    protected static CollectionDef def(String name, FieldDef... fields) {
        String id = "pbc_" + randomId(new Random()).substring(0, 11);
        return new CollectionDef(id, name, CollectionType.BASE, false, false, List.of(fields),
                CollectionDef.Rules.SUPERUSERS_ONLY, T0, T0, List.of());
    }

    protected CollectionDef save(CollectionDef def) {
        return join(store.saveCollection(def));
    }

    /** Data from name/value pairs; values may be null. */
    protected static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    protected static Record rec(String id, Object... kv) {
        return new Record(id, T0, T0, 1, data(kv));
    }

    /** The next version of {@code r} with new data, as a caller would stamp it for a Replace. */
    protected static Record next(Record r, Object... kv) {
        return r.withData(data(kv), T0, r.version() + 1);
    }

    protected Record create(String collection, Record r) {
        return write(new WriteOp.Create(collection, r)).get(0).record();
    }

    protected List<Change> write(WriteOp... ops) {
        return join(store.write(List.of(ops)));
    }

    // ---- futures ----

    protected static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("unexpected failure: " + unwrap(e), unwrap(e));
        } catch (Exception e) {
            throw new AssertionError("future did not complete", e);
        }
    }

    protected static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Waits for {@code f} and returns its (unwrapped) failure of the given type; fails if it succeeded. */
    protected static <T extends Throwable> T failure(CompletableFuture<?> f, Class<T> type) {
        Throwable t;
        try {
            t = f.handle((v, e) -> e).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete", e);
        }
        if (t == null) fail("expected " + type.getSimpleName() + " but the future succeeded");
        Throwable cause = unwrap(t);
        assertThat(cause).isInstanceOf(type);
        return type.cast(cause);
    }

    // ---- reading back ----

    protected Record get(String collection, String id) {
        return store.get(collection, id).orElseThrow(() -> new AssertionError("missing record " + id));
    }

    protected static Query query(String collection, Expr filter, int page, int perPage, SortKey... sort) {
        return new Query(collection, filter, List.of(sort), page, perPage, false);
    }

    /** Every record of a collection in natural order, read page by page. */
    protected List<Record> all(String collection) {
        List<Record> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            Page p = store.query(query(collection, null, page, 500));
            out.addAll(p.items());
            if (p.items().size() < 500) return out;
        }
    }

    protected static List<String> ids(Collection<Record> records) {
        return records.stream().map(Record::id).toList();
    }

    protected void assertClean() {
        ConsistencyReport r = store.check();
        assertThat(r.problems()).as("consistency problems").isEmpty();
        assertThat(r.clean()).isTrue();
    }

    // ---- the filter reference ----

    /** Filter text for {@code field op value}, printed by the filter printer and parsed back. */
    protected static Expr cmp(String field, Op op, Object value) {
        return Filters.parse(Printer.print(new Compare(new Field(field), op, new Literal(value))));
    }

    protected static boolean matches(Expr filter, Record r) {
        return Evaluator.test(filter, r::resolve);
    }

    /** Numbers in the value model's canonical form, recursively, so 1 and 1.0 compare equal. */
    protected static Object norm(Object v) {
        if (v instanceof Number n) return Values.normalizeNumber(n);
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), norm(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(ContractSupport::norm).toList();
        return v;
    }

    /** Asserts that two records are the same stored version with the same data (numbers by value). */
    protected static void assertSameRecord(Record actual, Record expected) {
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.version()).as("version of %s", expected.id()).isEqualTo(expected.version());
        assertThat(actual.created()).isEqualTo(expected.created());
        assertThat(actual.updated()).isEqualTo(expected.updated());
        assertThat(norm(actual.data())).as("data of %s", expected.id()).isEqualTo(norm(expected.data()));
    }
}
