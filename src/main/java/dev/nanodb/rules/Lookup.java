package dev.nanodb.rules;

import dev.nanodb.filter.Expr;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import java.util.List;
import java.util.Optional;

/**
 * What following a relation needs from storage: collections by name or id, records by id, and the records of a
 * collection matching a filter (at most {@code limit}). Rules compiled without one ({@link #NONE}) see no
 * related record.
 */
public interface Lookup {
    Optional<CollectionDef> collection(String nameOrId);

    Optional<Record> get(CollectionDef c, String id);

    List<Record> query(CollectionDef c, Expr filter, int limit);

    /**
     * The compiled rules of another collection a path enters (its list rule scopes a client's filter); a lookup
     * that knows the collections capability's cache answers from it instead of parsing them again.
     */
    default CompiledRules rules(CollectionDef c) {
        return CompiledRules.compile(c, this);
    }

    /** The ids of at most {@code limit} records of {@code c} matching {@code filter} (see {@link Store#ids}). */
    default List<String> ids(CollectionDef c, Expr filter, int limit) {
        return query(c, filter, limit).stream().map(Record::id).toList();
    }

    Lookup NONE = new Lookup() {
        public Optional<CollectionDef> collection(String nameOrId) {
            return Optional.empty();
        }

        public Optional<Record> get(CollectionDef c, String id) {
            return Optional.empty();
        }

        public List<Record> query(CollectionDef c, Expr filter, int limit) {
            return List.of();
        }
    };

    /** @param rules the compiled rules of a collection as their owner keeps them */
    static Lookup of(Store store, java.util.function.Function<CollectionDef, CompiledRules> rules) {
        return new Lookup() {
            @Override
            public CompiledRules rules(CollectionDef c) {
                return rules.apply(c);
            }

            public Optional<CollectionDef> collection(String nameOrId) {
                return store.collection(nameOrId);
            }

            public Optional<Record> get(CollectionDef c, String id) {
                return store.get(c.name(), id);
            }

            public List<Record> query(CollectionDef c, Expr filter, int limit) {
                return store.query(new Query(c.name(), filter, List.of(), 1, limit, true)).items();
            }

            @Override
            public List<String> ids(CollectionDef c, Expr filter, int limit) {
                return store.ids(c.name(), filter, limit);
            }
        };
    }
}
