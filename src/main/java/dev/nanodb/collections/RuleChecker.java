package dev.nanodb.collections;

import dev.nanodb.filter.And;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import java.util.List;

/**
 * Checks the names a rule uses when a collection is saved, so that a typo fails the save with a 400 on that
 * rule instead of silently locking (or opening) records later: record fields must be system fields or declared
 * (any name in a schemaless collection); {@code @} references must be one of {@code @request.auth.*},
 * {@code @request.body.*}, {@code @request.query.*}, {@code @request.method} or {@code @now}.
 * {@code @collection.*} (joins across collections) is refused as unsupported.
 */
final class RuleChecker {
    private RuleChecker() {}

    /** The first problem found, or null when every name is known. */
    static String problem(Expr e, List<FieldDef> fields, boolean schemaless) {
        return switch (e) {
            case And a -> first(a.terms(), fields, schemaless);
            case Or o -> first(o.terms(), fields, schemaless);
            case Compare c -> {
                String p = operand(c.left(), fields, schemaless);
                yield p != null ? p : operand(c.right(), fields, schemaless);
            }
        };
    }

    private static String first(List<Expr> terms, List<FieldDef> fields, boolean schemaless) {
        for (Expr t : terms) {
            String p = problem(t, fields, schemaless);
            if (p != null) return p;
        }
        return null;
    }

    private static String operand(Operand o, List<FieldDef> fields, boolean schemaless) {
        if (!(o instanceof Field f)) return null;
        String path = f.path();
        if (path.startsWith("@collection.")) return "@collection references are not supported: " + path;
        if (path.startsWith("@")) {
            boolean known = path.equals("@now") || path.equals("@request.method") || path.startsWith("@request.auth.")
                    || path.startsWith("@request.body.") || path.startsWith("@request.query.");
            return known ? null : "Unknown reference: " + path;
        }
        String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        if (CollectionDef.SYSTEM_FIELDS.contains(top) || schemaless) return null;
        for (FieldDef d : fields) {
            if (d.name().equals(top)) return null;
        }
        return "Unknown field: " + top;
    }
}
