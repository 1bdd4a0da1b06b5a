package dev.nanodb.records;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code fields} query parameter as PocketBase's response picker reads it: comma-separated dot paths, where
 * {@code *} keeps every key of its level and a dotted path keeps its first key but trims what is under it
 * ({@code fields=*,expand.author.name}). A null pick keeps everything. A last key may carry a modifier
 * ({@code body:excerpt(100)}, {@code *:excerpt(100)}); it is kept in {@code whole} as written, for
 * {@link RecordJson} to apply ({@link Excerpt.Selection}).
 *
 * @param all   {@code *} was given at this level
 * @param whole keys kept with everything under them
 * @param trim  keys kept with only what their own pick keeps
 */
record FieldPick(boolean all, Set<String> whole, Map<String, FieldPick> trim) {

    /** Null (keep everything) for a blank parameter. */
    static FieldPick parse(String fields) {
        if (fields == null || fields.isBlank()) return null;
        FieldPick root = empty();
        for (String path : Excerpt.split(fields)) {
            if (!path.isEmpty()) root = root.add(path.split("\\.", -1), 0);
        }
        return root;
    }

    private static FieldPick empty() {
        return new FieldPick(false, new LinkedHashSet<>(), new LinkedHashMap<>());
    }

    private FieldPick add(String[] keys, int i) {
        String key = keys[i];
        if (i == keys.length - 1) {
            if (key.startsWith("*:")) whole.add(key);
            if (key.equals("*") || key.startsWith("*:")) return new FieldPick(true, whole, trim);
            whole.add(key);
            return this;
        }
        FieldPick below = trim.getOrDefault(key, empty()).add(keys, i + 1);
        trim.put(key, below);
        return this;
    }

    /** Whether {@code key} of this level is kept. */
    boolean keeps(String key) {
        return all || whole.contains(key) || trim.containsKey(key) || modified(key);
    }

    /** The pick of what is under {@code key}; null = all of it (the key itself must be {@link #keeps kept}). */
    FieldPick under(String key) {
        return whole.contains(key) || modified(key) ? null : trim.get(key);
    }

    /** The record keys to keep, as {@link RecordJson} takes them: null = all. */
    Set<String> keys() {
        boolean modifiers = whole.stream().anyMatch(k -> k.indexOf(':') >= 0);
        if (all && !modifiers) return null;
        Set<String> out = new LinkedHashSet<>(whole);
        out.addAll(trim.keySet());
        if (all) out.add("*");
        return out;
    }

    private boolean modified(String key) {
        for (String k : whole) if (k.length() > key.length() && k.startsWith(key) && k.charAt(key.length()) == ':') return true;
        return false;
    }

    static boolean keeps(FieldPick p, String key) {
        return p == null || p.keeps(key);
    }

    static FieldPick under(FieldPick p, String key) {
        return p == null ? null : p.under(key);
    }

    static Set<String> keys(FieldPick p) {
        return p == null ? null : p.keys();
    }
}
