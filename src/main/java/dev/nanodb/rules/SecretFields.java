package dev.nanodb.rules;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.And;
import dev.nanodb.filter.Call;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fields no client filter may name, a superuser's included: a password field (a bcrypt hash) and an auth
 * collection's token key. A filter on one — directly, through a relation ({@code author.password}), a back-relation
 * or an {@code @collection} join — would be an oracle on the secret, one character at a time
 * ({@code author.password ~ "$2b$10$a%"}). Rules are not checked here: superusers write them, and a rule's answer is
 * a record's visibility, not a list of probes.
 */
public final class SecretFields {
    private static final String COLLECTION = "@collection.";

    private SecretFields() {}

    /** Whether {@code f}, a field of {@code c}, is a secret. */
    public static boolean secret(CollectionDef c, FieldDef f) {
        return f.type() == FieldType.PASSWORD || c.isAuth() && f.name().equals("tokenKey");
    }

    /** 400 on {@code param} when {@code e}, a filter of {@code c}, names a secret anywhere. */
    public static void refuse(CollectionDef c, Expr e, Function<String, Optional<CollectionDef>> collections, String param) {
        String path = find(c, e, collections);
        if (path != null) throw ApiException.invalidField(param, "validation_hidden_field", "Hidden fields cannot be used: " + path);
    }

    private static String find(CollectionDef c, Expr e, Function<String, Optional<CollectionDef>> collections) {
        if (e == null) return null;
        return switch (e) {
            case And a -> a.terms().stream().map(t -> find(c, t, collections)).filter(p -> p != null).findFirst().orElse(null);
            case Or o -> o.terms().stream().map(t -> find(c, t, collections)).filter(p -> p != null).findFirst().orElse(null);
            case Not n -> find(c, n.term(), collections);
            case Member m -> null;
            case Compare cmp -> {
                String left = operand(c, cmp.left(), collections);
                yield left != null ? left : operand(c, cmp.right(), collections);
            }
        };
    }

    private static String operand(CollectionDef c, Operand o, Function<String, Optional<CollectionDef>> collections) {
        if (o instanceof Call call) {
            for (Operand a : call.args()) {
                String p = operand(c, a, collections);
                if (p != null) return p;
            }
            return null;
        }
        if (!(o instanceof Field f) || f.path().startsWith("@request.")) return null;
        CollectionDef start = c;
        String path = f.path();
        if (path.startsWith(COLLECTION)) {
            String rest = path.substring(COLLECTION.length());
            int dot = rest.indexOf('.');
            if (dot < 0) return null;
            String name = rest.substring(0, dot);
            start = collections.apply(name.contains(":") ? name.substring(0, name.indexOf(':')) : name).orElse(null);
            path = rest.substring(dot + 1);
        } else if (path.startsWith("@")) {
            return null;
        }
        if (start == null) return null;
        try {
            RelationPath p = RelationPath.of(start, path, collections);
            return p.def() != null && secret(p.last(start), p.def()) ? f.path() : null;
        } catch (RelationPath.Invalid e) {
            return null; // reported by the checks that resolve paths
        }
    }
}
