package dev.nanodb.rules;

import dev.nanodb.store.CollectionDef;

/**
 * The five rules of one collection definition, parsed once. The collections capability keeps one per stored
 * definition and hands it to {@link Access}; it is never served for another definition, because {@code def} is
 * the very instance it was compiled from.
 */
public record CompiledRules(CollectionDef def, Rule list, Rule view, Rule create, Rule update, Rule delete,
                            Lookup lookup) {

    /** Rules that follow no relation (a relation path sees no related record). */
    public static CompiledRules compile(CollectionDef def) {
        return compile(def, Lookup.NONE);
    }

    /** @param lookup where relation paths ({@code author.owner}) find the related records */
    public static CompiledRules compile(CollectionDef def, Lookup lookup) {
        CollectionDef.Rules r = def.rules();
        return new CompiledRules(def, Rule.compile(r.listRule()), Rule.compile(r.viewRule()),
                Rule.compile(r.createRule()), Rule.compile(r.updateRule()), Rule.compile(r.deleteRule()), lookup);
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
