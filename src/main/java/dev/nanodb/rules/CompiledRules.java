package dev.nanodb.rules;

import dev.nanodb.store.CollectionDef;

/**
 * The five rules of one collection definition, parsed once. The collections capability keeps one per stored
 * definition and hands it to {@link Access}; it is never served for another definition, because {@code def} is
 * the very instance it was compiled from.
 */
public record CompiledRules(CollectionDef def, Rule list, Rule view, Rule create, Rule update, Rule delete) {

    public static CompiledRules compile(CollectionDef def) {
        CollectionDef.Rules r = def.rules();
        return new CompiledRules(def, Rule.compile(r.listRule()), Rule.compile(r.viewRule()),
                Rule.compile(r.createRule()), Rule.compile(r.updateRule()), Rule.compile(r.deleteRule()));
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
