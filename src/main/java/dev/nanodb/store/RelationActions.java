package dev.nanodb.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relation integrity as PocketBase defines it, applied by both backends inside the write transaction, so a
 * record never commits pointing at a missing record and a delete commits together with everything it causes:
 * <ul>
 *   <li>a create or update may add only ids that are records of the target collection at that point of the
 *       transaction ({@link #checkTargets}); ids it already held are not checked again;</li>
 *   <li>deleting a record ({@link #afterDelete}) removes its id from every relation holding it; a referencing
 *       record left with no id is deleted when its field cascades (and so on, through that record's own
 *       references), refused with {@link StoreException.Referenced} when its field is required, else stored
 *       with the emptied field. Only the removal is applied, without the referencing collection's validation,
 *       as PocketBase does ({@code minSelect} may end up unmet).</li>
 * </ul>
 * The work is a queue, not a recursion, so a deep chain of cascades cannot overflow the stack.
 */
public final class RelationActions {
    /** How many referencing records one lookup takes; lookups repeat until none is left. */
    static final int BATCH = 1_000;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private RelationActions() {}

    /**
     * Throws {@link StoreException.InvalidValue} on the first relation field of {@code next} that adds an id which
     * is not a record of its target collection.
     *
     * @param old the stored version for an update; null for a create
     */
    public static void checkTargets(RelationTx tx, CollectionDef def, Record old, Record next) {
        for (FieldDef f : def.relationFields()) {
            Set<String> added = ids(next.data().get(f.name()));
            if (added.isEmpty()) continue;
            if (old != null) added.removeAll(ids(old.data().get(f.name())));
            if (added.isEmpty()) continue;
            CollectionDef target = f.target() == null ? null : tx.collectionById(f.target());
            if (target == null) {
                throw new StoreException.InvalidValue(f.name(), "validation_missing_rel_collection",
                        "Relation connection is missing or cannot be accessed.");
            }
            for (String id : added) {
                if (!tx.exists(target, id)) {
                    throw new StoreException.InvalidValue(f.name(), "validation_missing_rel_records",
                            "Failed to find all relation records with the provided ids.");
                }
            }
        }
    }

    /**
     * Applies what deleting {@code deleted} of {@code def} (already removed by the caller) causes, and returns the
     * changes in the order they were made.
     */
    public static List<Change> afterDelete(RelationTx tx, RelationGraph graph, CollectionDef def, Record deleted) {
        List<Change> caused = new ArrayList<>();
        Deque<Map.Entry<CollectionDef, Record>> queue = new ArrayDeque<>();
        queue.add(Map.entry(def, deleted));
        while (!queue.isEmpty()) {
            Map.Entry<CollectionDef, Record> gone = queue.poll();
            String id = gone.getValue().id();
            for (RelationGraph.Reference ref : graph.into(gone.getKey().id())) {
                CollectionDef source = tx.collectionById(ref.source().id());
                FieldDef field = source == null ? null : source.field(ref.field().name()).orElse(null);
                if (field == null || !gone.getKey().id().equals(field.target())) continue;
                for (List<Record> found; !(found = tx.referencing(source, field, id, BATCH)).isEmpty(); ) {
                    for (Record r : found) {
                        Record kept = without(r, source, field, id);
                        if (ids(kept.data().get(field.name())).isEmpty() && field.relation().cascadeDelete()) {
                            caused.add(tx.delete(source, r));
                            queue.add(Map.entry(source, r));
                        } else if (ids(kept.data().get(field.name())).isEmpty() && field.required()) {
                            throw new StoreException.Referenced(source.name(), field.name(), r.id());
                        } else {
                            caused.add(tx.replace(source, r, kept));
                        }
                    }
                }
            }
        }
        return caused;
    }

    /** The ids a relation value holds: one id string, a list of them, or none ({@code ""}, null). */
    public static Set<String> ids(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof String s) {
            if (!s.isEmpty()) out.add(s);
        } else if (value instanceof List<?> l) {
            for (Object o : l) if (o instanceof String s && !s.isEmpty()) out.add(s);
        }
        return out;
    }

    /** {@code r} with {@code id} removed from {@code field}, as its next version. */
    private static Record without(Record r, CollectionDef source, FieldDef field, String id) {
        Map<String, Object> data = new LinkedHashMap<>(r.data());
        Object value = data.get(field.name());
        if (value instanceof List<?> l) {
            data.put(field.name(), l.stream().filter(o -> !id.equals(o)).toList());
        } else {
            data.put(field.name(), "");
        }
        return r.next(source, data, STAMP.format(Instant.now()));
    }
}
