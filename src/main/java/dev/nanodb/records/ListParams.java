package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The list options of a records query, parsed from query-string text with clear 400s for bad values.
 *
 * @param fields null = every field; otherwise the names to keep (system fields included only when named)
 */
public record ListParams(int page, int perPage, String sort, String filter, Set<String> fields, boolean skipTotal) {
    public static final int DEFAULT_PER_PAGE = 30;
    public static final int MAX_PER_PAGE = 1000;
    public static final int MAX_PAGE = 1_000_000;

    public static ListParams parse(String page, String perPage, String sort, String filter, String fields, String skipTotal) {
        int p = integer("page", page, 1, 1, MAX_PAGE);
        int pp = integer("perPage", perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        return new ListParams(p, pp, blankToNull(sort), blankToNull(filter), fieldSet(fields), truthy(skipTotal));
    }

    private static int integer(String name, String text, int fallback, int min, int max) {
        if (text == null || text.isBlank()) return fallback;
        try {
            long v = Long.parseLong(text.strip());
            if (v < min || v > max) {
                throw ApiException.invalidField(name, "validation_out_of_range", "Must be between " + min + " and " + max + ".");
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(name, "validation_invalid_number", "Must be a whole number.");
        }
    }

    /** The {@code fields} selection: null = every field. */
    public static Set<String> fieldSet(String fields) {
        if (fields == null || fields.isBlank()) return null;
        Set<String> out = new LinkedHashSet<>();
        for (String f : fields.split(",")) {
            String name = f.strip();
            if (name.equals("*")) return null;
            if (!name.isEmpty()) out.add(name);
        }
        return out.isEmpty() ? null : out;
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
