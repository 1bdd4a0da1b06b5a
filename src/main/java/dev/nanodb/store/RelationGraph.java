package dev.nanodb.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which relation fields point at each collection: the incoming edges of the graph that the relation fields of
 * a set of definitions form. It is a pure function of the definitions, computed here once so that the
 * collections capability (which refuses deleting or retyping a referenced collection) and both backends (which
 * cascade, unset or refuse a record delete inside its transaction) read the same graph.
 */
public final class RelationGraph {
    /** One relation field of {@code source} that points at the collection asked about. */
    public record Reference(CollectionDef source, FieldDef field) {}

    private final Map<String, List<Reference>> incoming;

    private RelationGraph(Map<String, List<Reference>> incoming) {
        this.incoming = incoming;
    }

    public static RelationGraph of(Collection<CollectionDef> defs) {
        Map<String, List<Reference>> in = new HashMap<>();
        for (CollectionDef d : defs) {
            for (FieldDef f : d.relationFields()) {
                if (f.target() != null) in.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(new Reference(d, f));
            }
        }
        in.replaceAll((k, v) -> List.copyOf(v));
        return new RelationGraph(Map.copyOf(in));
    }

    /** The relation fields pointing at the collection {@code targetId}, the collection's own included. */
    public List<Reference> into(String targetId) {
        return incoming.getOrDefault(targetId, List.of());
    }
}
