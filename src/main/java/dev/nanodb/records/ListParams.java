package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The list options of a records query, parsed from query-string text with clear 400s for bad values. A
 * {@code perPage} above {@link #MAX_PER_PAGE} is lowered to it, as PocketBase does (an SDK app asking for 5000
 * gets pages of 1000 and the answer's {@code perPage} says so); below 1 or malformed it is a 400.
 *
 * @param fields null = every field; otherwise the names to keep (system fields included only when named)
 */
public record ListParams(int page, int perPage, String sort, String filter, Set<String> fields, boolean skipTotal) {
    public static final int DEFAULT_PER_PAGE = 30;
    public static final int MAX_PER_PAGE = 1000;
    public static final int MAX_PAGE = 1_000_000;

    public static ListParams parse(String page, String perPage, String sort, String filter, String fields, String skipTotal) {
        int p = integer("page", page, 1, 1, MAX_PAGE);
        int pp = integer("perPage", perPage, DEFAULT_PER_PAGE, 1, Integer.MAX_VALUE);
        return new ListParams(p, pp, blankToNull(sort), blankToNull(filter), fieldSet(fields), truthy(skipTotal));
    }

    private static int integer(String name, String text, int fallback, int min, int max) {
        if (text == null || text.isBlank()) return fallback;
        try {
            long v = Long.parseLong(text.strip());
            if (v < min || v > max) {
                throw ApiException.invalidField(name, "validation_out_of_range", "Must be between " + min + " and " + max + ".");
            }
            return name.equals("perPage") ? (int) Math.min(v, MAX_PER_PAGE) : (int) v;
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(name, "validation_invalid_number", "Must be a whole number.");
        }
    }

    /**
     * The {@code fields} selection: null = every field. An entry may carry a modifier
     * ({@code body:excerpt(100,true)}, checked here: a bad one is a 400 naming {@code fields}); {@code *} without
     * one keeps every field.
     */
    public static Set<String> fieldSet(String fields) {
        if (fields == null || fields.isBlank()) return null;
        Set<String> out = new LinkedHashSet<>();
        for (String name : Excerpt.split(fields)) {
            if (!name.isEmpty()) out.add(Excerpt.check(name));
        }
        boolean modified = out.stream().anyMatch(n -> n.indexOf(':') >= 0);
        return out.isEmpty() || out.contains("*") && !modified ? null : out;
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
