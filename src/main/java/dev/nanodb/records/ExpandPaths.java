package dev.nanodb.records;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code expand} query parameter as a tree of relation keys, normalised as PocketBase does: spaces removed,
 * leading and trailing dots trimmed, empty paths dropped, a path that is a prefix of another merged into it
 * (the tree does that by construction), and segments past {@link #MAX_DEPTH} silently ignored.
 *
 * <p>Invariant: every node below the root has a non-empty key of at most {@link #MAX_KEY} characters, and the
 * tree is at most {@link #MAX_DEPTH} levels deep with at most {@link #MAX_PATHS} paths, so what a client can make
 * the planner walk is small whatever it sends.
 *
 * @param children the keys expanded at this level, in first-mention order; empty for a leaf
 */
record ExpandPaths(Map<String, ExpandPaths> children) {
    /** PocketBase's {@code maxNestedRels}. */
    static final int MAX_DEPTH = 6;
    /** Paths beyond this many are ignored: a real client names a handful. */
    static final int MAX_PATHS = 64;
    static final int MAX_KEY = 255;
    static final ExpandPaths NONE = new ExpandPaths(Map.of());

    static ExpandPaths parse(String expand) {
        if (expand == null || expand.isBlank()) return NONE;
        Map<String, ExpandPaths> root = new LinkedHashMap<>();
        int paths = 0;
        for (String raw : expand.split(",")) {
            String path = trimDots(raw.replaceAll("\\s", ""));
            if (path.isEmpty()) continue;
            if (++paths > MAX_PATHS) break;
            Map<String, ExpandPaths> level = root;
            String[] keys = path.split("\\.");
            for (int i = 0; i < keys.length && i < MAX_DEPTH; i++) {
                if (keys[i].isEmpty() || keys[i].length() > MAX_KEY) break;
                level = level.computeIfAbsent(keys[i], k -> new ExpandPaths(new LinkedHashMap<>())).children();
            }
        }
        return root.isEmpty() ? NONE : new ExpandPaths(root);
    }

    boolean isEmpty() {
        return children.isEmpty();
    }

    private static String trimDots(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '.') from++;
        while (to > from && s.charAt(to - 1) == '.') to--;
        return s.substring(from, to);
    }
}
