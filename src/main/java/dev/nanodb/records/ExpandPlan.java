package dev.nanodb.records;

import dev.nanodb.collections.CollectionService;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one answer expands, resolved against the schema and the caller before any record is read. A path that
 * cannot be expanded — an unknown field or collection, a field that is not a relation, a back relation whose
 * field does not point here, a target whose view rule is locked for this caller — is dropped together with
 * every level above it that no other path needs, exactly as PocketBase fails the whole path ({@code
 * expand=author.bogus} leaves {@code author} unexpanded); other paths are unaffected, and the answer is still 200.
 * Keys that {@code fields} would cut from the answer are not planned at all, so they cost nothing.
 *
 * @param pick  the {@code fields} pick of the records at this level; null = every key
 * @param edges what is expanded under {@code expand} of each record at this level; empty = no {@code expand} key
 */
record ExpandPlan(CollectionDef collection, FieldPick pick, List<Edge> edges) {
    private static final Pattern BACK = Pattern.compile("^(\\w+)_via_(\\w+)$");

    /**
     * One expanded key.
     *
     * @param field  forward: the relation field of the parent; back: the relation field of {@code target}
     *               that points at the parent's collection
     * @param single the value is one record (a single relation, or a back relation whose field is unique), else
     *               an array
     */
    record Edge(String key, CollectionDef target, FieldDef field, boolean back, boolean single, ExpandPlan child) {}

    static ExpandPlan of(CollectionService collections, CollectionDef c, ExpandPaths paths, FieldPick pick, RequestInfo req) {
        List<Edge> edges = new ArrayList<>();
        if (FieldPick.keeps(pick, "expand")) {
            FieldPick expandPick = FieldPick.under(pick, "expand");
            for (Map.Entry<String, ExpandPaths> e : paths.children().entrySet()) {
                if (!FieldPick.keeps(expandPick, e.getKey())) continue;
                Edge edge = edge(collections, c, e.getKey(), e.getValue(), FieldPick.under(expandPick, e.getKey()), req);
                if (edge != null) edges.add(edge);
            }
        }
        return new ExpandPlan(c, pick, List.copyOf(edges));
    }

    /** Whether {@code fields} keeps some key of {@code paths}: then none of them expanding means they all failed. */
    private static boolean wanted(ExpandPaths paths, FieldPick pick) {
        if (!FieldPick.keeps(pick, "expand")) return false;
        FieldPick expandPick = FieldPick.under(pick, "expand");
        return paths.children().keySet().stream().anyMatch(k -> FieldPick.keeps(expandPick, k));
    }

    /** The edge of {@code key}, or null when its path fails (see the class documentation). */
    private static Edge edge(CollectionService collections, CollectionDef c, String key, ExpandPaths below, FieldPick pick,
                             RequestInfo req) {
        Matcher back = BACK.matcher(key);
        CollectionDef target;
        FieldDef field;
        boolean single;
        if (back.matches()) {
            target = collections.find(back.group(1)).orElse(null);
            field = target == null ? null : target.field(back.group(2)).orElse(null);
            if (field == null || !c.id().equals(field.target())) return null;
            single = field.unique();
        } else {
            field = c.field(key).orElse(null);
            if (field == null || field.target() == null) return null;
            target = collections.find(field.target()).orElse(null);
            single = !field.multiple();
        }
        if (target == null || !req.superuser() && collections.rules(target).rule(Action.VIEW).locked()) return null;
        ExpandPlan child = of(collections, target, below, pick, req);
        if (child.edges().isEmpty() && wanted(below, pick)) return null;
        return new Edge(key, target, field, back.matches(), single, child);
    }
}
