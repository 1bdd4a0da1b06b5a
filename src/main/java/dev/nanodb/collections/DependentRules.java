package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.store.CollectionDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules of other collections that a change of one collection would break: a rule that follows a relation
 * ({@code author.name}, {@code comments_via_post.body}) names fields, and for a back-relation the name, of the
 * collections it passes through; a join ({@code @collection.news.author}) names the joined collection and its
 * fields. A change that removes such a field, renames or deletes such a collection is refused (400
 * naming each broken rule), so that a rule never starts failing every list of another collection after the fact.
 * Only rules that were valid before the change and would not be after it count.
 */
final class DependentRules {
    private DependentRules() {}

    /**
     * @param changed the validated new definition
     * @param all     every stored collection, the changed one as it is stored now
     */
    static void check(CollectionDef changed, List<CollectionDef> all) {
        check(changed.id(), all, key -> find(all, key, changed));
    }

    /** Refuses deleting {@code deleted} while another collection's rule joins it ({@code @collection.<name>}). */
    static void checkDelete(CollectionDef deleted, List<CollectionDef> all) {
        check(deleted.id(), all, key -> find(all, key, null).filter(d -> !d.id().equals(deleted.id())));
    }

    private static void check(String changedId, List<CollectionDef> all, Function<String, Optional<CollectionDef>> after) {
        Function<String, Optional<CollectionDef>> before = key -> find(all, key, null);
        Map<String, Object> broken = new LinkedHashMap<>();
        for (CollectionDef other : all) {
            if (other.id().equals(changedId)) continue;
            CollectionDef.Rules r = other.rules();
            String[] rules = {r.listRule(), r.viewRule(), r.createRule(), r.updateRule(), r.deleteRule()};
            String[] names = {"listRule", "viewRule", "createRule", "updateRule", "deleteRule"};
            for (int i = 0; i < rules.length; i++) {
                Expr e = parse(rules[i]);
                if (e == null || RuleChecker.problem(e, other, before) != null) continue;
                String problem = RuleChecker.problem(e, other, after);
                if (problem != null) {
                    broken.put(other.name() + "." + names[i], ApiException.fieldError("validation_rule_dependency",
                            "This change would break the rule: " + problem));
                }
            }
        }
        if (!broken.isEmpty()) {
            throw new ApiException(400, "The change would break rules of other collections that follow relations"
                    + " into this one or join it; change those rules first.", broken);
        }
    }

    private static Optional<CollectionDef> find(List<CollectionDef> all, String key, CollectionDef changed) {
        if (changed != null && (key.equals(changed.id()) || key.equals(changed.name()))) return Optional.of(changed);
        for (CollectionDef d : all) {
            if (changed != null && d.id().equals(changed.id())) continue;
            if (d.id().equals(key) || d.name().equals(key)) return Optional.of(d);
        }
        return Optional.empty();
    }

    private static Expr parse(String rule) {
        if (rule == null || rule.isBlank()) return null;
        try {
            return Filters.parse(rule);
        } catch (RuntimeException invalid) {
            return null;
        }
    }
}
