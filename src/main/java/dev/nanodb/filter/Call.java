package dev.nanodb.filter;

import java.util.List;
import java.util.Objects;

/**
 * A function of PocketBase's filter language used as an operand: {@code strftime(format, time [, modifiers…])} or
 * {@code geoDistance(lonA, latA, lonB, latB)} (semantics in {@link Functions}).
 *
 * <p>Invariants, checked on construction so that a tree holding a call always evaluates and compiles: the name is a
 * known function, the arguments are {@link Field}s and {@link Literal}s (never another call, as in PocketBase), in
 * the number and kinds the function takes, and every literal a function reads at compile time (strftime's format
 * and modifiers) is valid. Calls are compared structurally like every node.
 *
 * @param name the function name as written
 * @param args the arguments, unmodifiable
 */
public record Call(String name, List<Operand> args) implements Operand {

    /** @throws IllegalArgumentException when the call breaks an invariant; the message says which */
    public Call {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        String problem = Functions.problem(name, args);
        if (problem != null) throw new IllegalArgumentException(problem);
    }
}
