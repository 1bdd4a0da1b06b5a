package dev.nanodb.collections;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Filters;
import dev.nanodb.filter.Op;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields whose record count per value a backend keeps ({@link CollectionDef#countedFields}): the indexed
 * fields that the list rule compares for equality in one of its top-level terms ({@code owner_id =
 * @request.auth.id}), since every list of such a collection is filtered by them and its exact total can then be
 * one lookup. A field of many distinct values that no rule names would only cost a counts row per value. This is
 * an interpretation of the list rule, so it lives with the rules' owner; backends only keep the counts.
 */
public final class CountedFields {
    private CountedFields() {}

    public static List<String> of(CollectionDef def) {
        String rule = def.rules().listRule();
        if (rule == null || rule.isBlank()) return List.of();
        Expr parsed;
        try {
            parsed = Filters.parse(rule);
        } catch (RuntimeException invalid) {
            return List.of();
        }
        Set<String> named = new HashSet<>();
        for (Expr term : Filters.conjuncts(parsed)) {
            if (!(term instanceof Compare c) || c.op() != Op.EQ) continue;
            if (c.left() instanceof Field f) named.add(f.path());
            if (c.right() instanceof Field f) named.add(f.path());
        }
        List<String> out = new ArrayList<>();
        for (FieldDef f : def.fields()) {
            if (f.indexed() && named.contains(f.name())) out.add(f.name());
        }
        return out;
    }

    /** {@code def} with its derived facts brought up to date (the same instance when they already are). */
    public static CollectionDef derive(CollectionDef def) {
        List<String> counted = of(def);
        return counted.equals(def.countedFields()) ? def : def.toBuilder().countedFields(counted).build();
    }
}
