package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.json.Json;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Ids;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One answer's {@code expand}: PocketBase's {@code record.expand.<key>} (an object for a single relation, an
 * array in stored id order for a multiple one or a back relation), each expanded record shown only when the
 * caller may view it under its own collection's view rule and written by {@link RecordJson} (so hidden fields
 * never leave), with its own nested {@code expand}.
 *
 * <p>Cost: expansion goes level by level over all records of the answer at once, so each related id is read and
 * judged once per answer (a page of 30 posts by 3 authors reads 3 records and evaluates 3 view rules), and each
 * distinct record of a level is serialised once and its bytes copied wherever it appears. An answer places at most
 * {@link Limits#records} expanded records, reads at most {@link Limits#reads} records (related ids looked up and
 * back-relation rows, visible or not) and copies at most {@link Limits#bytes} of expanded JSON; past any of
 * these it fails with 400 on {@code expand} rather than hold a thread or the heap. A back relation reads at most
 * {@link #BACK_LIMIT} records per parent, as PocketBase (before the view rule, in id order).
 *
 * <p>Reads the store: call it off the event loop when the answer may be large (a list).
 */
public final class Expander {
    /** What one answer may expand; see the class documentation. */
    public record Limits(int records, int reads, long bytes) {}

    /** For an HTTP answer (view, list, write, batch operation). */
    public static final Limits ANSWER = new Limits(10_000, 100_000, 32L << 20);
    /** For one realtime event of one subscription: judged per subscriber, so kept small. */
    public static final Limits EVENT = new Limits(200, 2_000, 1L << 20);
    static final int BACK_LIMIT = 1000;
    private static final byte[] EXPAND = ",\"expand\":{".getBytes(StandardCharsets.US_ASCII);

    private final RecordService records;
    private final RequestInfo req;
    private final Limits limits;
    private final ExpandPlan plan;
    /** Per collection id, the records read so far: present when the caller may view them, empty otherwise. */
    private final Map<String, Map<String, Optional<Record>>> seen = new HashMap<>();
    private int placed;
    private int reads;
    private long bytes;

    private Expander(RecordService records, RequestInfo req, Limits limits, ExpandPlan plan) {
        this.records = records;
        this.req = req;
        this.limits = limits;
        this.plan = plan;
    }

    /**
     * The expansion of one answer of collection {@code c}; {@code expand} and {@code fields} are the raw query
     * parameters (null when absent). Plans only; reads nothing yet.
     */
    public static Expander of(RecordService records, CollectionDef c, String expand, String fields, RequestInfo req, Limits limits) {
        ExpandPaths paths = ExpandPaths.parse(expand);
        FieldPick pick = FieldPick.parse(fields);
        ExpandPlan plan = paths.isEmpty() ? new ExpandPlan(c, pick, List.of())
                : ExpandPlan.of(records.collections(), c, paths, pick, req);
        return new Expander(records, req, limits, plan);
    }

    /** Whether {@code expand} asks for anything; when not, answers need no expander. */
    public static boolean requested(String expand) {
        return !ExpandPaths.parse(expand).isEmpty();
    }

    /** One record's JSON with its expansion. */
    public byte[] one(Record r) {
        return write(plan, List.of(r)).get(r.id());
    }

    /** {@code {page, perPage, totalItems, totalPages, items}} with every item expanded. */
    public byte[] page(Page page) {
        Map<String, byte[]> items = write(plan, page.items());
        StringBuilder head = new StringBuilder().append("{\"page\":").append(page.page()).append(",\"perPage\":")
                .append(page.perPage()).append(",\"totalItems\":").append(page.totalItems()).append(",\"totalPages\":")
                .append(page.totalPages()).append(",\"items\":[");
        Bytes out = new Bytes(head.length() + 2 + items.values().stream().mapToInt(b -> b.length + 1).sum());
        out.add(head.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < page.items().size(); i++) {
            if (i > 0) out.add(',');
            out.add(items.get(page.items().get(i).id()));
        }
        out.add(']');
        out.add('}');
        return out.done();
    }

    /** The JSON of each record (distinct by id) at one level, with everything below it expanded. */
    private Map<String, byte[]> write(ExpandPlan level, List<Record> recs) {
        List<Map<String, List<Record>>> related = new ArrayList<>(level.edges().size());
        List<Map<String, byte[]>> written = new ArrayList<>(level.edges().size());
        for (ExpandPlan.Edge e : level.edges()) {
            Map<String, List<Record>> found = e.back() ? back(e, recs) : forward(e, recs);
            Map<String, Record> distinct = new LinkedHashMap<>();
            for (List<Record> list : found.values()) {
                placed += list.size();
                for (Record r : list) distinct.putIfAbsent(r.id(), r);
            }
            check(placed <= limits.records());
            related.add(found);
            written.add(write(e.child(), new ArrayList<>(distinct.values())));
        }
        List<byte[]> keys = new ArrayList<>(level.edges().size());
        for (ExpandPlan.Edge e : level.edges()) keys.add((Json.writeString(e.key()) + ":").getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> out = new HashMap<>();
        for (Record r : recs) {
            if (!out.containsKey(r.id())) out.put(r.id(), json(level, r, related, written, keys));
        }
        return out;
    }

    /** {@code r} as {@link RecordJson} writes it, with {@code "expand":{…}} before its closing brace. */
    private byte[] json(ExpandPlan level, Record r, List<Map<String, List<Record>>> related, List<Map<String, byte[]>> written,
                        List<byte[]> keys) {
        byte[] base = RecordJson.toBytes(level.collection(), r, FieldPick.keys(level.pick()), req.auth());
        if (level.edges().isEmpty()) return base;
        Bytes out = new Bytes(base.length + 64);
        out.add(base, base.length - 1);
        if (base.length > 2) {
            out.add(EXPAND);
        } else {
            out.add(EXPAND, 1, EXPAND.length - 1);
        }
        boolean first = true;
        for (int i = 0; i < level.edges().size(); i++) {
            ExpandPlan.Edge e = level.edges().get(i);
            List<Record> list = related.get(i).getOrDefault(r.id(), List.of());
            if (list.isEmpty()) continue;
            if (!first) out.add(',');
            first = false;
            out.add(keys.get(i));
            if (!e.single()) out.add('[');
            for (int j = 0; j < (e.single() ? 1 : list.size()); j++) {
                if (j > 0) out.add(',');
                byte[] child = written.get(i).get(list.get(j).id());
                bytes += child.length;
                check(bytes <= limits.bytes());
                out.add(child);
            }
            if (!e.single()) out.add(']');
        }
        out.add('}');
        out.add('}');
        return out.done();
    }

    /**
     * For each record, the visible records its relation field names, in stored order. Each record's field is read
     * once (reading one field of an unparsed record scans its JSON).
     */
    private Map<String, List<Record>> forward(ExpandPlan.Edge e, List<Record> recs) {
        Map<String, Collection<String>> named = new HashMap<>();
        for (Record r : recs) named.computeIfAbsent(r.id(), id -> ids(r.resolve(e.field().name())));
        prefetch(e.target(), named.values());
        Map<String, List<Record>> out = new HashMap<>();
        for (Map.Entry<String, Collection<String>> n : named.entrySet()) {
            List<Record> list = new ArrayList<>();
            for (String id : n.getValue()) lookup(e.target(), id).ifPresent(list::add);
            if (!list.isEmpty()) out.put(n.getKey(), list);
        }
        return out;
    }

    /** For each record, the visible records (at most {@link #BACK_LIMIT} read) whose field points at it. */
    private Map<String, List<Record>> back(ExpandPlan.Edge e, List<Record> recs) {
        Op op = e.field().multiple() ? Op.ANY_EQ : Op.EQ;
        Map<String, List<Record>> out = new HashMap<>();
        for (Record r : recs) {
            Query q = new Query(e.target().name(), new Compare(new Field(e.field().name()), op, new Literal(r.id())),
                    List.of(), 1, BACK_LIMIT, true);
            List<Record> list = new ArrayList<>();
            for (Record found : records.store().query(q).items()) {
                check(++reads <= limits.reads());
                Optional<Record> shown = seen(e.target()).computeIfAbsent(found.id(), id -> judge(e.target(), found));
                shown.ifPresent(list::add);
            }
            if (!list.isEmpty()) out.put(r.id(), list);
        }
        return out;
    }

    /**
     * Reads the not yet seen records among {@code named} (the ids each record's relation names), in one store call (one read
     * transaction, one statement), and judges each once; {@link #lookup} then finds them. Each counts as a read.
     */
    private void prefetch(CollectionDef c, Collection<Collection<String>> named) {
        Map<String, Optional<Record>> known = seen(c);
        Set<String> wanted = new LinkedHashSet<>();
        for (Collection<String> ids : named) {
            for (String id : ids) if (!known.containsKey(id) && Ids.valid(id)) wanted.add(id);
        }
        if (wanted.size() < 2) return;
        reads += wanted.size();
        check(reads <= limits.reads());
        Map<String, Record> found = records.store().getAll(c.name(), wanted);
        for (String id : wanted) {
            Record r = found.get(id);
            known.put(id, r == null ? Optional.empty() : judge(c, r));
        }
    }

    /** The record {@code id} of {@code c} when it exists and the caller may view it; read at most once per answer. */
    private Optional<Record> lookup(CollectionDef c, String id) {
        Map<String, Optional<Record>> known = seen(c);
        Optional<Record> have = known.get(id);
        if (have != null) return have;
        check(++reads <= limits.reads());
        Optional<Record> stored = Ids.valid(id) ? records.store().get(c.name(), id) : Optional.empty();
        Optional<Record> shown = stored.flatMap(r -> judge(c, r));
        known.put(id, shown);
        return shown;
    }

    private Optional<Record> judge(CollectionDef c, Record r) {
        return Visibility.canView(records.rules(c), req, r) ? Optional.of(r) : Optional.empty();
    }

    private Map<String, Optional<Record>> seen(CollectionDef c) {
        return seen.computeIfAbsent(c.id(), k -> new HashMap<>());
    }

    /** The ids a relation value holds: a single id, or the strings of a list; anything else holds none. */
    private static Collection<String> ids(Object value) {
        if (value instanceof String s) return s.isEmpty() ? List.of() : List.of(s);
        if (!(value instanceof List<?> list)) return List.of();
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (o instanceof String s && !s.isEmpty()) out.add(s);
        }
        return out;
    }

    private void check(boolean within) {
        if (!within) throw tooLarge(limits);
    }

    static ApiException tooLarge(Limits limits) {
        return ApiException.invalidField("expand", "validation_expand_too_large", "The expansion is too large: at most "
                + limits.records() + " expanded records, " + limits.reads() + " related records read and "
                + (limits.bytes() >> 20) + " MiB per answer.");
    }
}
