package dev.nanodb.filter;

import java.util.List;

/**
 * The functions of the filter language, with PocketBase's names and arguments; one definition used by the
 * {@link Evaluator} and mirrored by {@link SqlFunctions}.
 *
 * <ul>
 *   <li>{@code geoDistance(lonA, latA, lonB, latB)}: the great-circle distance in kilometres on a sphere of radius
 *       6371, with PocketBase's formula ({@code 6371 * acos(cos φa cos φb cos(λb − λa) + sin φa sin φb)}); the
 *       cosine is clamped to [−1, 1], so two equal points are 0 rather than a rounding error's NaN. Each argument
 *       is a field or a number (a request value bound into a rule may be a string): a number, or a string of the
 *       form {@link #DECIMAL} (a query parameter such as {@code "41.9"}), is read as a number; when an argument is
 *       anything else the result is null (no comparison holds).</li>
 *   <li>{@code strftime(format, time, modifier…)}: see {@link Strftime}; the result is always a string, {@code ""}
 *       for a time that is not a date (PocketBase's NULL-to-empty normalisation). At most
 *       {@value #MAX_ARGS} arguments, as in PocketBase.</li>
 * </ul>
 */
final class Functions {
    static final String STRFTIME = "strftime";
    static final String GEO_DISTANCE = "geoDistance";
    static final int MAX_ARGS = 10;
    static final double EARTH_KM = 6371;
    /** A string read as a number by geoDistance, in the syntax Java and PostgreSQL regular expressions share. */
    static final String DECIMAL = "^-{0,1}[0-9]{1,20}(\\.[0-9]{1,20}){0,1}$";
    private static final java.util.regex.Pattern DECIMAL_PATTERN = java.util.regex.Pattern.compile(DECIMAL);

    private Functions() {}

    /** What makes these arguments invalid for the function, or null when they are valid. */
    static String problem(String name, List<Operand> args) {
        for (Operand a : args) if (a instanceof Call) return name + "(): a function cannot take another function";
        switch (name) {
            case GEO_DISTANCE -> {
                return args.size() == 4 ? null : "geoDistance() takes 4 arguments (lonA, latA, lonB, latB), got " + args.size();
            }
            case STRFTIME -> {
                if (args.size() < 2 || args.size() > MAX_ARGS) {
                    return "strftime() takes a format, a time and at most " + (MAX_ARGS - 2) + " modifiers";
                }
                if (!(args.get(0) instanceof Literal(String format))) return "strftime(): the format must be a string";
                String bad = Strftime.formatProblem(format);
                if (bad != null) return bad;
                for (Operand m : args.subList(2, args.size())) {
                    if (!(m instanceof Literal(String text)) || Strftime.modifier(text) == null) {
                        return "strftime(): unsupported modifier " + (m instanceof Literal l ? Printer.print(l) : "(a field)")
                                + "; supported: 'start of day|month|year', '±N days|hours|minutes|seconds'";
                    }
                }
                return null;
            }
            default -> {
                return "Unknown function: " + name + "() (known: strftime, geoDistance)";
            }
        }
    }

    /** The call's value for its arguments' values ({@code values.get(i)} is the value of argument i). */
    static Object apply(Call call, List<Object> values) {
        return switch (call.name()) {
            case GEO_DISTANCE -> distance(values.get(0), values.get(1), values.get(2), values.get(3));
            case STRFTIME -> Strftime.apply(call, values.get(1));
            default -> null;
        };
    }

    /** What evaluating the call costs in {@link Budget} units: about one per character it formats or reads. */
    static long cost(Call call, List<Object> values) {
        if (!call.name().equals(STRFTIME)) return 1;
        long n = 1 + ((String) ((Literal) call.args().get(0)).value()).length() + call.args().size();
        return values.get(1) instanceof String s ? n + Math.min(s.length(), Strftime.MAX_TIME) : n;
    }

    private static Double distance(Object lonA, Object latA, Object lonB, Object latB) {
        Double a = number(lonA);
        Double b = number(latA);
        Double c = number(lonB);
        Double d = number(latB);
        return a == null || b == null || c == null || d == null ? null : kilometres(a, b, c, d);
    }

    /** A geoDistance argument as a number, or null. */
    static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        return v instanceof String s && s.length() <= 42 && DECIMAL_PATTERN.matcher(s).matches() ? Double.parseDouble(s) : null;
    }

    static double kilometres(double lonA, double latA, double lonB, double latB) {
        double cos = StrictMath.cos(StrictMath.toRadians(latA)) * StrictMath.cos(StrictMath.toRadians(latB))
                * StrictMath.cos(StrictMath.toRadians(lonB) - StrictMath.toRadians(lonA))
                + StrictMath.sin(StrictMath.toRadians(latA)) * StrictMath.sin(StrictMath.toRadians(latB));
        return EARTH_KM * StrictMath.acos(Math.min(1.0, Math.max(-1.0, cos)));
    }
}
