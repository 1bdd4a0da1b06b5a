package dev.nanodb.rules;

import dev.nanodb.store.CollectionDef;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The five rules of one collection definition, parsed once. Definitions are immutable and the store hands out
 * the same instance until the collection changes, so the compiled form is kept per collection id and rebuilt
 * only when the instance differs (a saved change), never served for an older definition.
 */
public record CompiledRules(CollectionDef def, Rule list, Rule view, Rule create, Rule update, Rule delete) {
    private static final ConcurrentHashMap<String, CompiledRules> BY_COLLECTION = new ConcurrentHashMap<>();

    public static CompiledRules of(CollectionDef def) {
        CompiledRules known = BY_COLLECTION.get(def.id());
        if (known != null && known.def == def) return known;
        CollectionDef.Rules r = def.rules();
        CompiledRules compiled = new CompiledRules(def, Rule.compile(r.listRule()), Rule.compile(r.viewRule()),
                Rule.compile(r.createRule()), Rule.compile(r.updateRule()), Rule.compile(r.deleteRule()));
        BY_COLLECTION.put(def.id(), compiled);
        return compiled;
    }

    public Rule rule(Action action) {
        return switch (action) {
            case LIST -> list;
            case VIEW -> view;
            case CREATE -> create;
            case UPDATE -> update;
            case DELETE -> delete;
        };
    }
}
