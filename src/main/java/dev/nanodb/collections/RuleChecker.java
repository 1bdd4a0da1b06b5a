package dev.nanodb.collections;

import dev.nanodb.filter.And;
import dev.nanodb.filter.Call;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Macros;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.rules.CollectionJoin;
import dev.nanodb.rules.RelationPath;
import dev.nanodb.store.CollectionDef;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks the names a rule uses when a collection is saved, so that a typo fails the save with a 400 on that
 * rule instead of silently locking (or opening) records later: record fields must be system fields or declared
 * (any name in a schemaless collection), and a relation path ({@code author.owner}, {@code comments_via_post.body})
 * must name fields of the collections it passes through ({@link RelationPath}, at most 6 hops, PocketBase's
 * modifiers only); {@code @} references must be one of {@code @request.auth.*}, {@code @request.body.*},
 * {@code @request.query.*}, {@code @request.method} or a date macro ({@code @now}, {@code @todayStart}, …), with a modifier only at the end
 * ({@code :changed} only on {@code @request.body.*}); {@code @collection.*} joins must name stored collections and
 * fields and have a shape {@link CollectionJoin} can resolve.
 */
final class RuleChecker {
    private static final Set<String> REQUEST_MODIFIERS = Set.of("isset", "length", "lower", "each", "changed");

    private RuleChecker() {}

    /** The first problem found, or null when every name is known. */
    static String problem(Expr e, CollectionDef self, Function<String, Optional<CollectionDef>> collections) {
        String names = names(e, self, collections);
        return names != null ? names : CollectionJoin.problem(self, e, collections);
    }

    private static String names(Expr e, CollectionDef self, Function<String, Optional<CollectionDef>> collections) {
        return switch (e) {
            case And a -> first(a.terms(), self, collections);
            case Or o -> first(o.terms(), self, collections);
            case Not n -> names(n.term(), self, collections);
            case Member m -> null;
            case Compare c -> {
                String p = operand(c.left(), self, collections);
                yield p != null ? p : operand(c.right(), self, collections);
            }
        };
    }

    private static String first(List<Expr> terms, CollectionDef self, Function<String, Optional<CollectionDef>> collections) {
        for (Expr t : terms) {
            String p = names(t, self, collections);
            if (p != null) return p;
        }
        return null;
    }

    private static String operand(Operand o, CollectionDef self, Function<String, Optional<CollectionDef>> collections) {
        if (o instanceof Call call) return call(call, self, collections);
        if (!(o instanceof Field f)) return null;
        String path = f.path();
        if (path.startsWith("@collection.")) return null; // checked with its joins by CollectionJoin
        if (path.startsWith("@")) {
            String base = f.base();
            String mod = f.modifier();
            if (base.indexOf(':') >= 0) return "A modifier may only end a path: " + path;
            if (mod != null && !REQUEST_MODIFIERS.contains(mod)) return "Unknown modifier \"" + mod + "\" in " + path;
            if ("changed".equals(mod) && !base.startsWith("@request.body.")) return ":changed applies only to @request.body fields: " + path;
            boolean known = Macros.isMacro(base) || base.equals("@request.method") || base.startsWith("@request.auth.")
                    || base.startsWith("@request.body.") || base.startsWith("@request.query.");
            return known ? null : "Unknown reference: " + path;
        }
        try {
            RelationPath.of(self, path, collections);
            return null;
        } catch (RelationPath.Invalid e) {
            return e.getMessage();
        }
    }

    /** A function's arguments are the record's own fields, request values or macros: no join, no relation path. */
    private static String call(Call call, CollectionDef self, Function<String, Optional<CollectionDef>> collections) {
        for (Operand a : call.args()) {
            if (!(a instanceof Field f)) continue;
            if (f.isCollectionRef()) return call.name() + "() cannot take an @collection field: " + f.path();
            String p = operand(f, self, collections);
            if (p != null) return p;
            try {
                if (!f.path().startsWith("@") && RelationPath.of(self, f.path(), collections).crossesRelation()) {
                    return call.name() + "() takes the record's own fields, not a relation path: " + f.path();
                }
            } catch (RelationPath.Invalid e) {
                return e.getMessage();
            }
        }
        return null;
    }
}
