package dev.nanodb.rules;

import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The five rules of one collection definition, parsed once. The collections capability keeps one per stored
 * definition and hands it to {@link Access}; it is never served for another definition, because {@code def} is
 * the very instance it was compiled from.
 *
 * @param reading the actions whose rule follows a relation ({@link RelationPath#crossesAnywhere}) or joins another
 *                collection, so judging it reads other records: derived once here, asked on every request
 * @param joining the actions whose rule names {@code @collection.*} ({@link CollectionJoin})
 */
public record CompiledRules(CollectionDef def, Rule list, Rule view, Rule create, Rule update, Rule delete,
                            Lookup lookup, Set<Action> reading, Set<Action> joining, Rule auth, Rule manage,
                            Rule mfa) {

    /** Rules that follow no relation (a relation path sees no related record). */
    public static CompiledRules compile(CollectionDef def) {
        return compile(def, Lookup.NONE);
    }

    /** @param lookup where relation paths ({@code author.owner}) find the related records */
    public static CompiledRules compile(CollectionDef def, Lookup lookup) {
        CollectionDef.Rules r = def.rules();
        AuthOptions o = def.authOptions();
        Rule[] rules = {Rule.compile(r.listRule()), Rule.compile(r.viewRule()), Rule.compile(r.createRule()),
                Rule.compile(r.updateRule()), Rule.compile(r.deleteRule()),
                Rule.compile(o == null ? null : o.authRule()), Rule.compile(o == null ? null : o.manageRule()),
                Rule.compile(o == null ? null : o.mfa().rule())};
        Set<Action> reading = EnumSet.noneOf(Action.class);
        Set<Action> joining = EnumSet.noneOf(Action.class);
        Action[] actions = {Action.LIST, Action.VIEW, Action.CREATE, Action.UPDATE, Action.DELETE, Action.AUTH, Action.MANAGE, Action.MFA};
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].expr() == null) continue;
            if (CollectionJoin.uses(rules[i].expr())) joining.add(actions[i]);
            if (joining.contains(actions[i]) || RelationPath.crossesAnywhere(def, rules[i].expr())) reading.add(actions[i]);
        }
        return new CompiledRules(def, rules[0], rules[1], rules[2], rules[3], rules[4], lookup,
                Collections.unmodifiableSet(reading), Collections.unmodifiableSet(joining), rules[5], rules[6], rules[7]);
    }

    /** Whether judging the rule of {@code action} reads other records (it follows a relation). */
    public boolean reads(Action action) {
        return reading.contains(action);
    }

    /** Whether the rule of {@code action} joins another collection ({@code @collection.*}). */
    public boolean joins(Action action) {
        return joining.contains(action);
    }

    public Rule rule(Action action) {
        return switch (action) {
            case LIST -> list;
            case VIEW -> view;
            case CREATE -> create;
            case UPDATE -> update;
            case DELETE -> delete;
            case AUTH -> auth;
            case MANAGE -> manage;
            case MFA -> mfa;
        };
    }
}
