package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.FilterSyntaxException;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.filter.Values;
import dev.nanodb.store.CollectionDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/collections} in PocketBase's list shape ({@code page, perPage, totalItems, totalPages, items}),
 * with {@code filter}, {@code sort} and {@code fields}. Collections are few (definitions are held in memory by every
 * backend), so the list is filtered with {@link Evaluator} and sorted with {@link Values#compare} here, over each
 * collection's API shape ({@link CollectionJson}); no store query runs.
 *
 * <p>Invariant: a filter or sort names only {@link #FIELDS} (PocketBase's {@code id, created, updated, name, system,
 * type}, and the five rules); anything else — an unknown key, an {@code @} reference, bad syntax — is a 400 naming the
 * parameter, as for records, never a silently empty page.
 */
public final class CollectionList {
    /** The keys a filter or sort may name. */
    public static final Set<String> FIELDS = Set.of("id", "name", "type", "system", "created", "updated",
            "listRule", "viewRule", "createRule", "updateRule", "deleteRule");
    private static final int MAX_SORT_FIELDS = 8;

    /** The page options, parsed and range-checked by the caller. */
    public record Params(int page, int perPage, String filter, String sort, Set<String> fields) {}

    private CollectionList() {}

    static Map<String, Object> page(List<CollectionDef> all, Params p) {
        Expr filter = parseFilter(p.filter());
        Comparator<Map<String, Object>> order = parseSort(p.sort());
        List<Map<String, Object>> matching = new ArrayList<>();
        for (CollectionDef c : all) {
            Map<String, Object> m = CollectionJson.toMap(c);
            if (filter == null || Evaluator.test(filter, m::get)) matching.add(m);
        }
        if (order != null) matching.sort(order);
        int total = matching.size();
        long from = Math.min((long) (p.page() - 1) * p.perPage(), total);
        List<Object> items = new ArrayList<>();
        for (Map<String, Object> m : matching.subList((int) from, (int) Math.min(from + p.perPage(), total))) {
            items.add(pick(m, p.fields()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", p.page());
        out.put("perPage", p.perPage());
        out.put("totalItems", total);
        out.put("totalPages", (total + p.perPage() - 1) / p.perPage());
        out.put("items", items);
        return out;
    }

    private static Expr parseFilter(String text) {
        try {
            Expr e = Filters.parse(text);
            if (e != null) checkFields(e);
            return e;
        } catch (FilterSyntaxException ex) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", ex.getMessage());
        }
    }

    private static void checkFields(Expr e) {
        switch (e) {
            case And a -> a.terms().forEach(CollectionList::checkFields);
            case Or o -> o.terms().forEach(CollectionList::checkFields);
            case Not n -> checkFields(n.term());
            case Member m -> checkField(m.field(), "filter");
            case Compare c -> {
                checkOperand(c.left());
                checkOperand(c.right());
            }
        }
    }

    private static void checkOperand(Operand o) {
        if (o instanceof Field f) checkField(f, "filter");
    }

    private static void checkField(Field f, String param) {
        if (!FIELDS.contains(f.base())) {
            throw ApiException.invalidField(param, "validation_unknown_field", "Unknown or unsupported field: " + f.path());
        }
    }

    /** {@code -created,name}: each term a {@link #FIELDS} key, {@code -} for descending; null = stored order. */
    private static Comparator<Map<String, Object>> parseSort(String text) {
        if (text == null || text.isBlank()) return null;
        String[] terms = text.split(",");
        if (terms.length > MAX_SORT_FIELDS) {
            throw ApiException.invalidField("sort", "validation_invalid_sort", "At most " + MAX_SORT_FIELDS + " sort fields.");
        }
        Comparator<Map<String, Object>> out = null;
        for (String raw : terms) {
            String t = raw.strip();
            boolean desc = t.startsWith("-");
            String name = desc || t.startsWith("+") ? t.substring(1) : t;
            if (!Field.isValidPath(name)) throw ApiException.invalidField("sort", "validation_invalid_sort", "Not a field name: " + t);
            checkField(new Field(name), "sort");
            Comparator<Map<String, Object>> c = (a, b) -> Values.compare(a.get(name), b.get(name));
            if (desc) c = c.reversed();
            out = out == null ? c : out.thenComparing(c);
        }
        return out;
    }

    /** PocketBase's {@code fields} on a list: each item keeps the named keys (unknown ones are ignored); null = all. */
    private static Map<String, Object> pick(Map<String, Object> m, Set<String> fields) {
        if (fields == null) return m;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (fields.contains(e.getKey())) out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
