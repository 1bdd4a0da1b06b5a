package dev.nanodb.rules;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.And;
import dev.nanodb.filter.Budget;
import dev.nanodb.filter.Call;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Member;
import dev.nanodb.filter.Not;
import dev.nanodb.filter.Op;
import dev.nanodb.filter.Operand;
import dev.nanodb.filter.Or;
import dev.nanodb.filter.Resolver;
import dev.nanodb.filter.Values;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import java.util.List;

/**
 * Decides what a caller may do, with PocketBase's semantics: superusers bypass every rule; a locked rule
 * ({@code null}) answers 403 to everyone else; an open rule ({@code ""}) allows everyone; an expression must
 * hold for the caller and the record. What a failed expression means (a filtered list, 404, 400) is the
 * caller's decision, because it differs per action.
 *
 * <p>The list rule is not evaluated row by row: {@link #listScope} binds its {@code @request.*} values to
 * constants, so what remains is an ordinary filter on the record's fields that the store ANDs into the query and
 * plans with its indexes ({@code owner_id = @request.auth.id} becomes an indexed equality). Counts and pages stay
 * exact because rows are never dropped after paging.
 */
public final class Access {
    private Access() {}

    /**
     * What a list may return.
     *
     * @param nothing true when the rule can hold for no record (e.g. an anonymous caller and
     *                {@code @request.auth.id != ""}): the store need not be asked
     * @param filter  the rule as a filter on record fields; null when every record may be listed
     */
    public record Scope(boolean nothing, Expr filter) {
        static final Scope ALL = new Scope(false, null);
        static final Scope NONE = new Scope(true, null);
    }

    public static Scope listScope(CompiledRules c, RequestInfo req) {
        if (req.superuser()) return Scope.ALL;
        Rule rule = c.list();
        if (rule.locked()) throw forbidden();
        if (rule.open()) return Scope.ALL;
        RuleResolver request = new RuleResolver(req, c.lookup());
        Object bound;
        try {
            bound = bind(rule.expr(), request);
        } catch (RuleResolver.TooManyLoads e) {
            return Scope.NONE; // a rule that cannot be judged within its bound admits nothing
        }
        if (bound instanceof Expr e && c.joins(Action.LIST)) bound = listJoins(c, e, request);
        if (bound instanceof Expr e) return new Scope(false, SemiJoin.forRules(c.lookup()).rewrite(c.def(), e));
        return Boolean.TRUE.equals(bound) ? Scope.ALL : Scope.NONE;
    }

    /** 403 when the rule of {@code action} is locked and the caller is not a superuser; cheap, no evaluation. */
    public static void checkUnlocked(CompiledRules c, Action action, RequestInfo req) {
        if (!req.superuser() && c.rule(action).locked()) throw forbidden();
    }

    /**
     * Whether the rule of {@code action} allows the caller to act on {@code record} (for a create: the would-be
     * record). Throws 403 when the rule is locked and the caller is not a superuser.
     */
    public static boolean allows(CompiledRules c, Action action, RequestInfo req, Record record) {
        if (!req.superuser() && c.rule(action).locked()) throw forbidden();
        return admits(c, action, req, record);
    }

    /**
     * As {@link #allows}, but a locked rule answers false instead of 403: for deciding what to show someone (an
     * answer, a realtime event), where a locked rule means "not this caller", not a refusal to answer.
     */
    public static boolean admits(CompiledRules c, Action action, RequestInfo req, Record record) {
        if (req.superuser()) return true;
        Rule rule = c.rule(action);
        if (rule.locked()) return false;
        if (rule.open()) return true;
        RuleResolver resolver = new RuleResolver(req, record, c.def(), c.lookup(), null);
        try {
            Expr e = rule.expr();
            if (c.joins(action)) {
                Object decided = CollectionJoin.forRecord(c.def(), e, c.lookup(), record, resolver::request);
                if (decided instanceof Boolean b) return b;
                e = (Expr) decided;
            }
            return Evaluator.test(e, resolver);
        } catch (RuleResolver.TooManyLoads | CollectionJoin.Invalid e) {
            return false; // a rule that cannot be judged within its bound does not allow
        }
    }

    /**
     * Whether {@code record} matches a caller's own filter (a realtime subscription's), {@code @collection} joins
     * included (only superusers may name them); a join that cannot be judged does not match.
     */
    public static boolean matches(CompiledRules c, RequestInfo req, Record record, Expr filter, Budget budget) {
        Expr e = filter;
        if (CollectionJoin.uses(e)) {
            Object decided;
            try {
                decided = CollectionJoin.forRecord(c.def(), e, c.lookup(), record, new RuleResolver(req, c.lookup())::request);
            } catch (CollectionJoin.Invalid x) {
                return false;
            }
            if (decided instanceof Boolean b) return b;
            e = (Expr) decided;
        }
        return Evaluator.test(e, clientResolver(c, req, record), budget);
    }

    /**
     * A superuser's own list filter with its {@code @collection} joins resolved into conditions on the record's
     * fields (see {@link CollectionJoin}); null stays null.
     */
    public static Expr resolveJoins(CompiledRules c, Expr filter, RequestInfo req) {
        if (!CollectionJoin.uses(filter)) return filter;
        return constant(listJoins(c, filter, new RuleResolver(req, c.lookup())));
    }

    private static Object listJoins(CompiledRules c, Expr e, dev.nanodb.filter.Resolver request) {
        try {
            return CollectionJoin.forList(c.def(), e, c.lookup(), request);
        } catch (CollectionJoin.Invalid | RelationPath.Invalid x) {
            throw ApiException.invalidField("filter", "validation_invalid_filter", x.getMessage());
        }
    }

    /**
     * Values of a caller's own filter (a realtime subscription's) for {@code record}: relation paths are followed
     * as {@link SemiJoin#forClient} does for a list — into collections the caller may list, through records the
     * caller may list, never to hidden fields (such paths were refused when the filter was checked).
     */
    public static Resolver clientResolver(CompiledRules c, RequestInfo req, Record record) {
        RuleResolver.Visible visible = req.superuser() ? null : (def, rec) ->
                def.rules().listRule() != null && admits(c.lookup().rules(def), Action.LIST, req, rec);
        RuleResolver r = new RuleResolver(req, record, c.def(), c.lookup(), visible);
        return path -> {
            try {
                return r.resolve(path);
            } catch (RuleResolver.TooManyLoads e) {
                return null;
            }
        };
    }

    /**
     * Replaces every {@code @request.*}/{@code @now} reference by its value for this request. Used for a
     * superuser's own filter, which may name them.
     */
    public static Expr bindRequest(Expr e, RequestInfo req) {
        return bindRequest(e, req, false);
    }

    /** @param live a realtime subscription's filter: date macros stay references, valued at each event */
    public static Expr bindRequest(Expr e, RequestInfo req, boolean live) {
        if (e == null) return null;
        RuleResolver r = new RuleResolver(req, Lookup.NONE);
        if (live) r.keepMacros();
        return constant(bind(e, r));
    }

    /** A folded filter: an Expr as it is; "always" is no filter, "never" an id that no record has. */
    private static Expr constant(Object folded) {
        if (folded instanceof Expr x) return x;
        return Boolean.TRUE.equals(folded) ? null : new Compare(new Field("id"), Op.EQ, new Literal(""));
    }

    public static ApiException forbidden() {
        return new ApiException(403, "Only superusers can perform this action.");
    }

    /** The expression with request values as constants and constant comparisons folded: an Expr or a Boolean. */
    private static Object bind(Expr e, RuleResolver r) {
        return switch (e) {
            case Compare c -> {
                if (joined(c.left()) || joined(c.right())) yield c; // CollectionJoin reads its request values itself
                Object lv = fixedValue(c.left(), r);
                Object rv = fixedValue(c.right(), r);
                if (lv != VARIES && rv != VARIES) yield Values.test(c.op(), lv, rv);
                if (lv instanceof Values.Multi m && c.right() instanceof Field f) yield multi(f, c.op(), m);
                if (rv instanceof Values.Multi m && c.left() instanceof Field f) yield multi(f, c.op(), m);
                yield new Compare(operand(c.left(), r), c.op(), operand(c.right(), r));
            }
            case And a -> Folding.and(a.terms().stream().map(t -> bind(t, r)).toList());
            case Or o -> Folding.or(o.terms().stream().map(t -> bind(t, r)).toList());
            case Not n -> {
                Object inner = bind(n.term(), r);
                yield inner instanceof Expr x ? new Not(x) : !(Boolean) inner;
            }
            case Member m -> m;
        };
    }

    private static boolean joined(Operand o) {
        return o instanceof Field f && f.path().startsWith(CollectionJoin.PREFIX);
    }

    /** Stands for an operand whose value depends on the record. */
    private static final Object VARIES = new Object();

    /** The value of a literal or a request reference; {@link #VARIES} for a record field or a join. */
    private static Object fixedValue(Operand o, RuleResolver r) {
        if (o instanceof Literal l) return l.value();
        if (o instanceof Call call) {
            for (Operand a : call.args()) if (fixedValue(a, r) == VARIES) return VARIES;
            return Evaluator.value(call, r::request, null);
        }
        Field f = (Field) o;
        if (!f.path().startsWith("@") || f.path().startsWith(CollectionJoin.PREFIX) || r.keepsMacro(f)) return VARIES;
        return r.request(f.path());
    }

    /**
     * A record field compared with the several values of a request path through a multiple relation
     * ({@code team ?= @request.auth.teams.id}): {@code ?=} holds when the field equals one of them, {@code =} when
     * it equals all of them (one distinct value); any other operator is not supported with several values and
     * holds for none.
     */
    private static Object multi(Field f, Op op, Values.Multi m) {
        java.util.Set<Object> distinct = new java.util.LinkedHashSet<>(m.values());
        if (op == Op.EQ) return distinct.size() == 1 ? new Compare(f, Op.EQ, literal(distinct.iterator().next())) : false;
        return op == Op.ANY_EQ ? Folding.anyEqual(f, distinct) : false;
    }

    private static Operand operand(Operand o, RuleResolver r) {
        if (o instanceof Call call) return new Call(call.name(), call.args().stream().map(a -> operand(a, r)).toList());
        if (!(o instanceof Field f) || !f.path().startsWith("@") || f.path().startsWith(CollectionJoin.PREFIX) || r.keepsMacro(f)) return o;
        return literal(r.request(f.path()));
    }

    /** Scalars become literals; a list or object (a JSON body value) cannot be compared as one and is null. */
    static Literal literal(Object v) {
        return switch (v) {
            case null -> new Literal(null);
            case String s -> new Literal(s);
            case Boolean b -> new Literal(b);
            case Number n -> new Literal(Values.normalizeNumber(n) instanceof Long l ? (Object) l : (Object) n.doubleValue());
            default -> new Literal(null);
        };
    }
}
