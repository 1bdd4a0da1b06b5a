package dev.nanodb.logs;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Budget;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Values;
import dev.nanodb.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers a {@link LogQuery} by walking the store, so its work is bounded by the store's size budget, and every
 * filter evaluation is charged to a {@link Budget} of {@value #FILTER_BUDGET} units (about one per character
 * compared): a filter that would cost more is a 400, never a worker busy for minutes.
 *
 * <p>A sort the key order gives ({@code created}, {@code id}, {@code @rowid}, none) streams entries in order and
 * keeps only the page. Any other sort keeps the best {@code page × perPage} entries in a bounded heap — only their
 * ids and sort values, strings cut to {@value #SORT_CHARS} characters — and at most {@value #MAX_HEAP} of them, so
 * deeper pages of such a sort over more matching entries are a 400 naming {@code page}. Totals are always exact.
 */
final class LogScan {
    static final long FILTER_BUDGET = 200_000_000L;
    static final int MAX_HEAP = 10_000;
    static final int SORT_CHARS = 256;

    private LogScan() {}

    /** One page of entries and the exact total (-1 with skipTotal). */
    record Page(int page, int perPage, long total, List<Object> items) {
        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("page", page);
            out.put("perPage", perPage);
            out.put("totalItems", total);
            out.put("totalPages", total < 0 ? -1 : (total + perPage - 1) / perPage);
            out.put("items", items);
            return out;
        }
    }

    static Page list(LogStore store, LogQuery q) {
        Budget budget = new Budget(FILTER_BUDGET);
        return q.keyOrder() ? inKeyOrder(store, q, budget) : sorted(store, q, budget);
    }

    private static Page inKeyOrder(LogStore store, LogQuery q, Budget budget) {
        long offset = q.offset();
        long[] matched = {0};
        List<Object> items = new ArrayList<>();
        store.scan(q.descending(), c -> {
            Map<String, Object> parsed = q.filter() == null ? null : Json.parseStored(c.json());
            if (parsed != null && !matches(q.filter(), parsed, budget)) return true;
            long at = matched[0]++;
            if (at >= offset && at < offset + q.perPage()) items.add(item(c, parsed, q));
            return !(q.skipTotal() && matched[0] >= offset + q.perPage());
        });
        return new Page(q.page(), q.perPage(), q.skipTotal() ? -1 : matched[0], items);
    }

    /** One matching entry with its sort values, kept in the heap. */
    private record Ranked(String id, Object[] keys) {}

    private static Page sorted(LogStore store, LogQuery q, Budget budget) {
        long wanted = q.offset() + q.perPage();
        Comparator<Ranked> order = order(q.sort());
        PriorityQueue<Ranked> heap = new PriorityQueue<>(order.reversed());
        long[] matched = {0};
        store.scan(false, c -> {
            Map<String, Object> entry = Json.parseStored(c.json());
            if (q.filter() != null && !matches(q.filter(), entry, budget)) return true;
            matched[0]++;
            heap.add(new Ranked(c.id(), keys(q.sort(), entry)));
            if (heap.size() > wanted) heap.poll();
            if (heap.size() > MAX_HEAP) {
                throw ApiException.invalidField("page", "validation_page_too_deep", "Pages past the " + MAX_HEAP
                        + "th entry of a sort other than created or id need a narrower filter.");
            }
            return true;
        });
        List<Ranked> best = new ArrayList<>(heap);
        best.sort(order);
        List<Object> items = new ArrayList<>();
        for (int i = (int) Math.min(q.offset(), best.size()); i < best.size(); i++) {
            byte[] json = store.get(best.get(i).id());
            if (json != null) items.add(q.fields() == null ? new Json.Raw(json) : pick(Json.parseStored(json), q.fields()));
        }
        return new Page(q.page(), q.perPage(), q.skipTotal() ? -1 : matched[0], items);
    }

    private static Comparator<Ranked> order(List<LogQuery.Sort> sort) {
        return (a, b) -> {
            for (int i = 0; i < sort.size(); i++) {
                int c = Values.compare(a.keys()[i], b.keys()[i]);
                if (c != 0) return sort.get(i).desc() ? -c : c;
            }
            return a.id().compareTo(b.id());
        };
    }

    private static Object[] keys(List<LogQuery.Sort> sort, Map<String, Object> entry) {
        Object[] out = new Object[sort.size()];
        for (int i = 0; i < out.length; i++) {
            String path = sort.get(i).path();
            Object v = path.equals(LogQuery.RANDOM) ? ThreadLocalRandom.current().nextLong() : resolve(entry, path);
            if (v instanceof Map<?, ?> || v instanceof List<?>) v = Values.canonicalText(v);
            out[i] = v instanceof String s && s.length() > SORT_CHARS ? s.substring(0, SORT_CHARS) : v;
        }
        return out;
    }

    /** Entries per hour, oldest hour first: {@code [{date, total}]}, {@code date} as {@code 2026-12-07T19:00:00.000Z}. */
    static List<Map<String, Object>> stats(LogStore store, Expr filter) {
        Budget budget = new Budget(FILTER_BUDGET);
        Map<Long, long[]> hours = new LinkedHashMap<>();
        store.scan(false, c -> {
            if (filter != null && !matches(filter, Json.parseStored(c.json()), budget)) return true;
            long hour = Math.floorDiv(LogIds.millis(c.id()), 3_600_000L);
            hours.computeIfAbsent(hour, h -> new long[1])[0]++;
            return true;
        });
        List<Map<String, Object>> out = new ArrayList<>(hours.size());
        hours.forEach((hour, n) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", LogIds.created(hour * 3_600_000L));
            m.put("total", n[0]);
            out.add(m);
        });
        return out;
    }

    /** The entry {@code id} (with {@code fields} applied when given); null when there is none. */
    static Object one(LogStore store, String id, java.util.Set<String> fields) {
        byte[] json = store.get(id);
        if (json == null) return null;
        return fields == null ? new Json.Raw(json) : pick(Json.parseStored(json), fields);
    }

    private static boolean matches(Expr filter, Map<String, Object> entry, Budget budget) {
        try {
            return Evaluator.test(filter, path -> resolve(entry, path), budget);
        } catch (Budget.Exceeded e) {
            throw ApiException.invalidField("filter", "validation_filter_too_costly",
                    "The filter costs too much over the stored logs; narrow it (for instance by created or level).");
        }
    }

    /** The value at a dotted path of an entry ({@code data.status}); a number segment indexes a list. */
    static Object resolve(Map<String, Object> entry, String path) {
        Object at = entry;
        for (String part : path.split("\\.")) {
            at = switch (at) {
                case Map<?, ?> m -> m.get(part);
                case List<?> l -> index(l, part);
                case null, default -> null;
            };
            if (at == null) return null;
        }
        return at;
    }

    private static Object index(List<?> list, String part) {
        try {
            int i = Integer.parseInt(part);
            return i >= 0 && i < list.size() ? list.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object item(LogStore.Cursor c, Map<String, Object> parsed, LogQuery q) {
        if (q.fields() == null) return new Json.Raw(c.json());
        return pick(parsed != null ? parsed : Json.parseStored(c.json()), q.fields());
    }

    /** The named paths of an entry, nested as in the entry ({@code data.url} → {@code {data: {url}}}). */
    static Map<String, Object> pick(Map<String, Object> entry, java.util.Set<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String path : fields) {
            Object v = resolve(entry, path);
            if (v == null && !hasPath(entry, path)) continue;
            String[] parts = path.split("\\.");
            Map<String, Object> at = out;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                at = next;
            }
            at.put(parts[parts.length - 1], v);
        }
        return out;
    }

    private static boolean hasPath(Map<String, Object> entry, String path) {
        int dot = path.lastIndexOf('.');
        Object parent = dot < 0 ? entry : resolve(entry, path.substring(0, dot));
        return parent instanceof Map<?, ?> m && m.containsKey(path.substring(dot + 1));
    }
}
