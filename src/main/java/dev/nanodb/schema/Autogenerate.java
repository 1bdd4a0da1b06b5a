package dev.nanodb.schema;

import com.github.curiousoddman.rgxgen.RgxGen;
import com.github.curiousoddman.rgxgen.config.RgxGenOption;
import com.github.curiousoddman.rgxgen.config.RgxGenProperties;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Random text matching a regular expression, for a text field's {@code autogeneratePattern} (PocketBase's
 * {@code security.RandomStringByRegex}), drawn from a {@link SecureRandom}: such values are often ids or tokens.
 *
 * <p>Only patterns this generator honours are accepted ({@link #problem}): at most {@link #MAX_PATTERN} characters,
 * Java syntax, a value at most {@link #MAX_LENGTH} characters long by the bound {@link #maxLength} computes before
 * anything is generated (so {@code a{1000000000}} is refused, never attempted), and samples that the pattern itself
 * matches (a construct the generator does not understand, such as a lookahead or a POSIX class, gives values it
 * does not match). {@code *} and {@code +} repeat at most {@link #UNBOUNDED_REPEAT} times.
 */
public final class Autogenerate {
    public static final int MAX_PATTERN = 255;
    public static final int MAX_LENGTH = 5000;
    static final int UNBOUNDED_REPEAT = 16;
    private static final int SAMPLES = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ConcurrentHashMap<String, RgxGen> GENERATORS = new ConcurrentHashMap<>();

    private Autogenerate() {}

    /** A random value matching {@code pattern}, which {@link #problem} accepted. */
    public static String generate(String pattern) {
        return GENERATORS.computeIfAbsent(pattern, Autogenerate::parse).generate(RANDOM);
    }

    /** Why {@code pattern} cannot be generated from, or null when it can. */
    public static String problem(String pattern) {
        if (pattern.length() > MAX_PATTERN) return "At most " + MAX_PATTERN + " characters.";
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return "Not a valid regular expression.";
        }
        long bound = maxLength(pattern);
        if (bound > MAX_LENGTH) return "Could generate values longer than " + MAX_LENGTH + " characters.";
        try {
            RgxGen gen = parse(pattern);
            for (int i = 0; i < SAMPLES; i++) {
                if (!compiled.matcher(gen.generate(RANDOM)).matches()) {
                    return "Uses a construct values cannot be generated from (such as a lookaround or a POSIX class).";
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            return "Uses a construct values cannot be generated from.";
        }
        return null;
    }

    private static RgxGen parse(String pattern) {
        RgxGenProperties props = new RgxGenProperties();
        RgxGenOption.INFINITE_PATTERN_REPETITION.setInProperties(props, UNBOUNDED_REPEAT);
        return RgxGen.parse(props, pattern);
    }

    /**
     * An upper bound of the length of a generated value, from the pattern's text alone: each atom (a character, an
     * escape, a class) is 1, a group the longest of its alternatives, a back-reference the longest group, and a
     * quantifier multiplies what it follows by its upper bound ({@link #UNBOUNDED_REPEAT} when there is none).
     * Saturates at {@link Long#MAX_VALUE}.
     */
    static long maxLength(String p) {
        Deque<long[]> frames = new ArrayDeque<>(); // {total of this alternative, longest finished alternative, last atom}
        frames.push(new long[3]);
        long longestGroup = 0;
        int i = 0;
        while (i < p.length()) {
            long[] f = frames.peek();
            char c = p.charAt(i);
            int next = i + 1;
            long atom = 1;
            boolean quantifiable = true;
            switch (c) {
                case '\\' -> {
                    next = escapeEnd(p, i);
                    if (p.startsWith("\\Q", i)) atom = Math.max(0, next - i - 4);
                    else if (i + 1 < p.length() && (Character.isDigit(p.charAt(i + 1)) || p.charAt(i + 1) == 'k')) atom = longestGroup;
                    else if (i + 1 < p.length() && "bBAzZG".indexOf(p.charAt(i + 1)) >= 0) atom = 0;
                }
                case '[' -> next = classEnd(p, i);
                case '(' -> {
                    next = groupStart(p, i);
                    if (p.charAt(next - 1) != ')') frames.push(new long[3]); // not a flags-only (?i)
                    quantifiable = false;
                    atom = -1;
                }
                case ')' -> {
                    if (frames.size() > 1) {
                        long[] done = frames.pop();
                        atom = Math.max(done[0], done[1]);
                        longestGroup = Math.max(longestGroup, atom);
                        f = frames.peek();
                    }
                }
                case '|' -> {
                    f[1] = Math.max(f[1], f[0]);
                    f[0] = 0;
                    f[2] = 0;
                    atom = -1;
                }
                case '^', '$' -> atom = 0;
                case '*', '+', '?', '{' -> {
                    long factor;
                    if (c == '{') {
                        int close = p.indexOf('}', i);
                        if (close < 0) return Long.MAX_VALUE;
                        String[] range = p.substring(i + 1, close).split(",", -1);
                        String upper = range.length > 1 ? range[1].strip() : range[0].strip();
                        factor = upper.isEmpty() ? add(number(range[0]), UNBOUNDED_REPEAT) : number(upper);
                        next = close + 1;
                    } else {
                        factor = c == '?' ? 1 : UNBOUNDED_REPEAT;
                    }
                    if (next < p.length() && (p.charAt(next) == '?' || p.charAt(next) == '+')) next++;
                    f[0] = add(f[0] - f[2], times(f[2], factor));
                    f[2] = times(f[2], factor);
                    atom = -1;
                }
                default -> { }
            }
            if (atom >= 0) {
                f[0] = add(f[0], atom);
                f[2] = quantifiable ? atom : 0;
            }
            i = next;
        }
        long[] top = frames.peek();
        return frames.size() > 1 ? Long.MAX_VALUE : Math.max(top[0], top[1]);
    }

    /** The index after an escape: {@code \Q…\E}, {@code \p{…}}, {@code \x{…}}, {@code \k<…>}, or one character. */
    private static int escapeEnd(String p, int i) {
        if (i + 1 >= p.length()) return p.length();
        char e = p.charAt(i + 1);
        if (e == 'Q') {
            int end = p.indexOf("\\E", i + 2);
            return end < 0 ? p.length() : end + 2;
        }
        if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < p.length() && p.charAt(i + 2) == '{') {
            int end = p.indexOf('}', i + 2);
            return end < 0 ? p.length() : end + 1;
        }
        if (e == 'k' && i + 2 < p.length() && p.charAt(i + 2) == '<') {
            int end = p.indexOf('>', i + 2);
            return end < 0 ? p.length() : end + 1;
        }
        return i + 2;
    }

    /** The index after a character class, nested classes and escapes included. */
    private static int classEnd(String p, int i) {
        int depth = 0;
        for (int j = i; j < p.length(); j++) {
            char c = p.charAt(j);
            if (c == '\\') j++;
            else if (c == '[') depth++;
            else if (c == ']' && j > i + 1 && --depth == 0) return j + 1;
        }
        return p.length();
    }

    /** The index after a group's opening: {@code (}, {@code (?:}, {@code (?<name>}, {@code (?=} … */
    private static int groupStart(String p, int i) {
        if (i + 1 >= p.length() || p.charAt(i + 1) != '?') return i + 1;
        if (p.startsWith("(?<", i) && i + 3 < p.length() && Character.isLetter(p.charAt(i + 3))) {
            int end = p.indexOf('>', i);
            return end < 0 ? p.length() : end + 1;
        }
        int j = i + 2;
        while (j < p.length() && "=!<>:".indexOf(p.charAt(j)) < 0 && p.charAt(j) != ')') j++;
        if (j + 1 < p.length() && p.charAt(j) == '<' && (p.charAt(j + 1) == '=' || p.charAt(j + 1) == '!')) j++;
        return Math.min(p.length(), j + 1);
    }

    private static long number(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(Character::isDigit)) return Long.MAX_VALUE / 4;
        return Long.parseLong(t);
    }

    private static long add(long a, long b) {
        long r = a + b;
        return r < 0 || r < a ? Long.MAX_VALUE : r;
    }

    private static long times(long a, long b) {
        if (a == 0 || b == 0) return 0;
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
