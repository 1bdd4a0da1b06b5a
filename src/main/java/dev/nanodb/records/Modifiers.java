package dev.nanodb.records;

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
 * PocketBase's write modifiers on relation and select fields: {@code field+} appends, {@code +field} prepends and
 * {@code field-} removes values, against the stored value (an update, inside its transaction) or nothing (a
 * create). Keys are applied shortest first, so {@code tags} sets a value before {@code tags+} adds to it; the
 * result is stored under the plain name and validated like any value. Values already held keep their place when
 * appended, move to the front when prepended; removing a value that is not held does nothing. On a single-value
 * field the result is the last value of the combined list, as in PocketBase. A key that only looks like a
 * modifier (its field is not a relation or select) stays as it is, for the validator to judge.
 */
final class Modifiers {
    private Modifiers() {}

    static Map<String, Object> apply(CollectionDef c, Map<String, Object> stored, Map<String, Object> body) {
        if (body.keySet().stream().noneMatch(k -> k.startsWith("+") || k.endsWith("+") || k.endsWith("-"))) return body;
        List<String> keys = new ArrayList<>(body.keySet());
        keys.sort(Comparator.comparingInt(String::length));
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : keys) {
            String name = key.startsWith("+") ? key.substring(1) : key.endsWith("+") || key.endsWith("-")
                    ? key.substring(0, key.length() - 1) : key;
            FieldDef f = name.equals(key) ? null : c.field(name).orElse(null);
            if (f == null || f.type() != FieldType.RELATION && f.type() != FieldType.SELECT && f.type() != FieldType.FILE) {
                out.put(key, body.get(key));
                continue;
            }
            Set<String> current = values(out.containsKey(name) ? out.get(name) : stored.get(name));
            Set<String> given = values(body.get(key));
            Set<String> next = new LinkedHashSet<>();
            if (key.startsWith("+")) {
                next.addAll(given);
                next.addAll(current);
            } else if (key.endsWith("+")) {
                next.addAll(current);
                next.addAll(given);
            } else {
                next.addAll(current);
                next.removeAll(given);
            }
            List<String> list = new ArrayList<>(next);
            out.put(name, f.multiple() ? list : list.isEmpty() ? "" : list.get(list.size() - 1));
        }
        return out;
    }

    private static Set<String> values(Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof String s && !s.isEmpty()) out.add(s);
        if (v instanceof List<?> l) for (Object o : l) if (o instanceof String s && !s.isEmpty()) out.add(s);
        return out;
    }
}
