package dev.nanodb.rules;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record field path ({@code title}, {@code author.name}, {@code post.author.owner},
 * {@code comments_via_post.body}, {@code tags:length}) split against the schema: the relation hops it takes and
 * the field it ends on. Shared by the rule checker (saving a collection), the list planner ({@link SemiJoin}) and
 * per-record evaluation ({@link RuleResolver}), so all three read a path the same way.
 *
 * <p>A segment that names a relation field and is followed by more segments is a hop into the target collection;
 * {@code <collection>_via_<field>} (not itself a field) is a hop back from the records of {@code <collection>}
 * whose relation {@code <field>} points here. The first segment that is not a hop ends the path: the rest is the
 * field and, for a JSON field, a path inside it. At most {@link #MAX_HOPS} hops (PocketBase's limit).
 *
 * @param hops     the relation hops, in order; empty for a plain field
 * @param field    the path inside the last collection (field name plus any JSON path), without modifier
 * @param def      the last field's definition, null for a system field or a schemaless collection's field
 * @param modifier the modifier of the last segment, or null
 */
public record RelationPath(List<Hop> hops, String field, FieldDef def, String modifier) {
    public static final int MAX_HOPS = 6;
    public static final Set<String> MODIFIERS = Set.of("each", "isset", "length", "lower", "changed");
    private static final Pattern VIA = Pattern.compile("([A-Za-z0-9_]+)_via_([A-Za-z0-9_]+)");

    /**
     * One hop. Forward ({@code back == false}): from {@code from} through its relation {@code relation} to
     * {@code to}. Back: from {@code from} to the records of {@code to} whose relation {@code relation} holds the id.
     */
    public record Hop(CollectionDef from, FieldDef relation, CollectionDef to, boolean back) {
        /** Whether the hop can reach more than one record (PocketBase's multi-match). */
        public boolean many() {
            return back || relation.multiple();
        }
    }

    /** A path that cannot be resolved, with a message for the client. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public boolean crossesRelation() {
        return !hops.isEmpty();
    }

    /** Whether some hop reaches many records (then the path's value is a {@link dev.nanodb.filter.Values.Multi}). */
    public boolean many() {
        return hops.stream().anyMatch(Hop::many);
    }

    /** The collection the last field belongs to. */
    public CollectionDef last(CollectionDef start) {
        return hops.isEmpty() ? start : hops.get(hops.size() - 1).to();
    }

    /** The path without its first hop, relative to that hop's target. */
    public RelationPath tail() {
        return new RelationPath(hops.subList(1, hops.size()), field, def, modifier);
    }

    /** The path text relative to the last collection ({@code name:lower}). */
    public String fieldText() {
        return modifier == null ? field : field + ":" + modifier;
    }

    /**
     * @param collections finds a collection by name or id
     * @throws Invalid for an unknown field or collection, a bad back-relation, too many hops, a modifier other than
     *                 PocketBase's five or a modifier inside the path
     */
    public static RelationPath of(CollectionDef start, String path, Function<String, Optional<CollectionDef>> collections) {
        String[] parts = path.split("\\.", -1);
        String modifier = null;
        for (int i = 0; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            if (colon < 0) continue;
            if (i != parts.length - 1) throw new Invalid("A modifier may only end a path: " + path);
            modifier = parts[i].substring(colon + 1);
            parts[i] = parts[i].substring(0, colon);
            if (!MODIFIERS.contains(modifier)) throw new Invalid("Unknown modifier \"" + modifier + "\" in " + path);
        }
        List<Hop> hops = new ArrayList<>();
        CollectionDef cur = start;
        int i = 0;
        while (true) {
            String seg = parts[i];
            boolean more = i + 1 < parts.length;
            if (CollectionDef.SYSTEM_FIELDS.contains(seg)) {
                return new RelationPath(List.copyOf(hops), join(parts, i), null, modifier);
            }
            FieldDef f = cur.field(seg).orElse(null);
            Hop hop = null;
            if (f != null && f.type() == FieldType.RELATION && more) {
                CollectionDef to = collections.apply(f.target()).orElseThrow(
                        () -> new Invalid("The relation " + seg + " points at a missing collection."));
                hop = new Hop(cur, f, to, false);
            } else if (f == null && more && VIA.matcher(seg).matches()) {
                hop = back(cur, seg, collections);
            } else if (f == null) {
                if (cur.schemaless()) return new RelationPath(List.copyOf(hops), join(parts, i), null, modifier);
                throw new Invalid("Unknown field: " + seg + (cur == start ? "" : " (in " + cur.name() + ")"));
            }
            if (hop == null) return new RelationPath(List.copyOf(hops), join(parts, i), f, modifier);
            hops.add(hop);
            if (hops.size() > MAX_HOPS) throw new Invalid("Max nested relations reached for field " + path);
            cur = hop.to();
            i++;
        }
    }

    /**
     * Whether some field of {@code e} (not an {@code @} reference) starts with a relation of {@code c} followed by
     * more of a path, or with a back-relation: what makes a rule or filter read other collections.
     */
    public static boolean crossesAnywhere(CollectionDef c, dev.nanodb.filter.Expr e) {
        return switch (e) {
            case dev.nanodb.filter.And a -> a.terms().stream().anyMatch(t -> crossesAnywhere(c, t));
            case dev.nanodb.filter.Or o -> o.terms().stream().anyMatch(t -> crossesAnywhere(c, t));
            case dev.nanodb.filter.Not n -> crossesAnywhere(c, n.term());
            case dev.nanodb.filter.Member m -> false;
            case dev.nanodb.filter.Compare cmp -> crosses(c, cmp.left()) || crosses(c, cmp.right());
        };
    }

    private static boolean crosses(CollectionDef c, dev.nanodb.filter.Operand o) {
        if (!(o instanceof dev.nanodb.filter.Field f) || f.path().startsWith("@") || !f.path().contains(".")) return false;
        String seg = f.path().substring(0, f.path().indexOf('.'));
        return seg.contains("_via_") || c.field(seg).map(d -> d.type() == FieldType.RELATION).orElse(false);
    }

    private static Hop back(CollectionDef cur, String seg, Function<String, Optional<CollectionDef>> collections) {
        Matcher m = VIA.matcher(seg);
        m.matches();
        // the collection name itself may contain "_via_"? PocketBase takes the last one; names are \w+
        int at = seg.lastIndexOf("_via_");
        String name = seg.substring(0, at);
        String fieldName = seg.substring(at + 5);
        CollectionDef from = collections.apply(name).orElseThrow(() -> new Invalid("Failed to resolve field " + seg));
        FieldDef f = from.field(fieldName).orElseThrow(() -> new Invalid("Missing back relation field " + seg));
        if (f.type() != FieldType.RELATION) throw new Invalid("Invalid back relation field " + seg);
        if (!f.target().equals(cur.id())) throw new Invalid("Invalid collection reference of a back relation field " + seg);
        return new Hop(cur, f, from, true);
    }

    private static String join(String[] parts, int from) {
        return String.join(".", java.util.Arrays.asList(parts).subList(from, parts.length));
    }
}
