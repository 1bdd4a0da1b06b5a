package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Autogenerate;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PocketBase's write modifiers, resolved against the stored value (an update, inside its write transaction, so
 * concurrent modifiers of one record never lose each other's change) or nothing (a create):
 * <ul>
 *   <li>relation, select and file fields: {@code field+} appends, {@code +field} prepends and {@code field-}
 *       removes values. Values already held keep their place when appended, move to the front when prepended;
 *       removing a value that is not held does nothing. On a single-value field the result is the last value of
 *       the combined list, as in PocketBase;</li>
 *   <li>number fields: {@code field+} adds and {@code field-} subtracts a number (a missing or null stored value
 *       counts as 0); whole numbers stay whole, a sum past the range of a long is a 400;</li>
 *   <li>text fields: {@code field:autogenerate} sets the given string followed by a value generated from the
 *       field's {@code autogeneratePattern} (the string alone when the field has none).</li>
 * </ul>
 * Keys are applied shortest first, so {@code tags} sets a value before {@code tags+} adds to it; the result is
 * stored under the plain name and validated like any value (a number's min/max too). A key that only looks like a
 * modifier (its field has none of these types, or {@code +field} on a number) stays as it is, for the validator to
 * judge. Rules see the body with modifiers resolved ({@link #forRules}), as PocketBase shows them.
 */
final class Modifiers {
    private Modifiers() {}

    static Map<String, Object> apply(CollectionDef c, Map<String, Object> stored, Map<String, Object> body) {
        if (body.keySet().stream().noneMatch(Modifiers::looksModified)) return body;
        List<String> keys = new ArrayList<>(body.keySet());
        keys.sort(Comparator.comparingInt(String::length));
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : keys) {
            String name = key.endsWith(AUTOGENERATE) ? key.substring(0, key.length() - AUTOGENERATE.length())
                    : key.startsWith("+") ? key.substring(1) : key.endsWith("+") || key.endsWith("-")
                    ? key.substring(0, key.length() - 1) : key;
            FieldDef f = name.equals(key) ? null : c.field(name).orElse(null);
            Object current = out.containsKey(name) ? out.get(name) : stored.get(name);
            if (f != null && key.endsWith(AUTOGENERATE)) {
                if (f.type() != FieldType.TEXT) out.put(key, body.get(key));
                else out.put(name, generated(f, body.get(key)));
            } else if (f != null && f.type() == FieldType.NUMBER && !key.startsWith("+")) {
                out.put(name, add(name, current, body.get(key), key.endsWith("-")));
            } else if (f != null && (f.type() == FieldType.RELATION || f.type() == FieldType.SELECT || f.type() == FieldType.FILE)) {
                out.put(name, listed(f, key, current, body.get(key)));
            } else {
                out.put(key, body.get(key));
            }
        }
        return out;
    }

    /**
     * The caller's request as a rule judges it: the body with each modifier replaced by the value it gives the
     * field ({@code views+: 1} reads as {@code views: <stored + 1>}), as PocketBase resolves them before its rules.
     * Otherwise a rule guarding {@code @request.body.views} would not see a change made through {@code views+}.
     */
    static RequestInfo forRules(CollectionDef c, Map<String, Object> stored, RequestInfo req) {
        Map<String, Object> body = req.body();
        if (body.keySet().stream().noneMatch(Modifiers::looksModified)) return req;
        return new RequestInfo(req.auth(), req.method(), req.query(), apply(c, stored, body));
    }

    private static boolean looksModified(String k) {
        return k.startsWith("+") || k.endsWith("+") || k.endsWith("-") || k.endsWith(AUTOGENERATE);
    }

    private static final String AUTOGENERATE = ":autogenerate";

    /** PocketBase's {@code field:autogenerate}: the given prefix, then a generated value. */
    private static String generated(FieldDef f, Object prefix) {
        if (prefix != null && !(prefix instanceof String)) {
            throw ApiException.invalidField(f.name(), "validation_invalid_string", "Must be a string.");
        }
        String given = prefix == null ? "" : (String) prefix;
        return f.autogeneratePattern() == null ? given : given + Autogenerate.generate(f.autogeneratePattern());
    }

    private static Object listed(FieldDef f, String key, Object stored, Object given) {
        Set<String> current = values(stored);
        Set<String> sent = values(given);
        Set<String> next = new LinkedHashSet<>();
        if (key.startsWith("+")) {
            next.addAll(sent);
            next.addAll(current);
        } else if (key.endsWith("+")) {
            next.addAll(current);
            next.addAll(sent);
        } else {
            next.addAll(current);
            next.removeAll(sent);
        }
        List<String> list = new ArrayList<>(next);
        return f.multiple() ? list : list.isEmpty() ? "" : list.get(list.size() - 1);
    }

    /** {@code stored ± given}: longs while both are whole, doubles otherwise. */
    private static Number add(String name, Object stored, Object given, boolean subtract) {
        Number a = stored instanceof Number n ? n : 0L;
        Number b = number(name, given);
        try {
            if (a instanceof Long x && b instanceof Long y) return subtract ? Math.subtractExact(x, y) : Math.addExact(x, y);
        } catch (ArithmeticException e) {
            throw ApiException.invalidField(name, "validation_invalid_number", "The result is out of range.");
        }
        double d = subtract ? a.doubleValue() - b.doubleValue() : a.doubleValue() + b.doubleValue();
        if (!Double.isFinite(d)) throw ApiException.invalidField(name, "validation_invalid_number", "The result is out of range.");
        return d;
    }

    /** A modifier's operand: a JSON number, or a numeric string (what a multipart form sends). */
    private static Number number(String name, Object v) {
        if (v instanceof Long || v instanceof Double) return (Number) v;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            try {
                return s.strip().matches("-?\\d{1,18}") ? (Number) Long.parseLong(s.strip()) : (Number) Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                // falls through to the 400 below
            }
        }
        throw ApiException.invalidField(name, "validation_invalid_number", "Must be a number.");
    }

    private static Set<String> values(Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof String s && !s.isEmpty()) out.add(s);
        if (v instanceof List<?> l) for (Object o : l) if (o instanceof String s && !s.isEmpty()) out.add(s);
        return out;
    }
}
