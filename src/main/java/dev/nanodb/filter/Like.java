package dev.nanodb.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The matching behind {@code ~}, in time linear in the text. A segment without {@code _} of up to 16 characters is
 * found with {@link String#indexOf} (the JDK's vectorised search; its worst case, 16 comparisons a character, is
 * bounded by the segment's length), a longer one with Knuth-Morris-Pratt ({@code O(n + k)}), one with {@code _}
 * with the bit-parallel shift-and algorithm ({@code O(n · ⌈k / 64⌉)} for {@code n} code points of text and
 * {@code k} of segment) — never the {@code O(n · k)} of a backtracking matcher (a 1,000,000-character value against
 * an 8,000-character pattern took seconds that way).
 *
 * <p>A LIKE pattern {@code s0 % s1 % … % sm} matches when {@code s0} is a prefix, {@code sm} a suffix, and
 * {@code s1 … s(m-1)} occur in order, without overlapping, in between. Taking the leftmost occurrence of each
 * middle segment is always right (an occurrence further left leaves more room for the rest), so the text is
 * read once from left to right. In a LIKE pattern {@code _} matches any one code point; containment takes it
 * literally.
 */
final class Like {
    private static final int SHORT = 16;

    private Like() {}

    /**
     * An upper bound on the steps (character comparisons and the like) of matching {@code pattern} against a text
     * of {@code n} characters, lower-casing included: the JDK's search costs at most a segment's length (capped at
     * {@value #SHORT}) a character, Knuth-Morris-Pratt two, shift-and one per 64 code points of its segment; the
     * segments of a pattern read disjoint parts of the text. Shift-and also builds its tables for every comparison
     * (a 128-entry table and one row per distinct code point), which a pattern with {@code _} is charged up front.
     * Lower-casing may lengthen a text (up to twice), so this is a bound within a factor of two.
     */
    static long cost(long n, String pattern) {
        int m = pattern.length();
        long setup = pattern.indexOf('_') < 0 ? m : 128 + (long) m * ((m + 63) / 64);
        return n * (1 + Math.max(2, Math.min(m, SHORT)) + (m + 63) / 64) + setup;
    }

    /** Whether {@code text} contains {@code needle}; no wildcards. */
    static boolean contains(String text, String needle) {
        return needle.isEmpty() || findExact(text, 0, text.length(), needle) >= 0;
    }

    /** Whether all of {@code text} matches {@code pattern}: {@code %} any run of code points, {@code _} exactly one. */
    static boolean matches(String text, String pattern) {
        List<String> segments = segments(pattern);
        String first = segments.get(0);
        String last = segments.get(segments.size() - 1);
        if (segments.size() == 1) return prefixLength(text, 0, first) == text.length();
        int pos = prefixLength(text, 0, first);
        if (pos < 0) return false;
        int end = suffixStart(text, last);
        if (end < pos || prefixLength(text, end, last) < 0) return false;
        for (int i = 1; i < segments.size() - 1; i++) {
            String segment = segments.get(i);
            if (segment.isEmpty()) continue;
            pos = segment.indexOf('_') < 0 ? findExact(text, pos, end, segment) : findWild(text, pos, end, segment);
            if (pos < 0) return false;
        }
        return true;
    }

    /** The pattern split at {@code %}; {@code "%a%"} gives {@code "", "a", ""}. */
    private static List<String> segments(String pattern) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= pattern.length(); i++) {
            if (i == pattern.length() || pattern.charAt(i) == '%') {
                out.add(pattern.substring(from, i));
                from = i + 1;
            }
        }
        return out;
    }

    /** The char index after {@code segment} matched at {@code from} (with {@code _} as a wildcard), or -1. */
    private static int prefixLength(String text, int from, String segment) {
        int pos = from;
        for (int i = 0; i < segment.length(); ) {
            int cp = segment.codePointAt(i);
            i += Character.charCount(cp);
            if (pos >= text.length()) return -1;
            int c = text.codePointAt(pos);
            if (cp != '_' && cp != c) return -1;
            pos += Character.charCount(c);
        }
        return pos;
    }

    /** The char index where the last code points of {@code text}, as many as {@code segment} has, begin; or -1. */
    private static int suffixStart(String text, String segment) {
        int pos = text.length();
        int n = segment.codePointCount(0, segment.length());
        for (int i = 0; i < n; i++) {
            if (pos <= 0) return -1;
            pos -= Character.charCount(text.codePointBefore(pos));
        }
        return pos;
    }

    /**
     * The char index just after the leftmost occurrence of {@code needle} (non-empty) in {@code text[from, to)}, or
     * -1: with {@link String#indexOf} (several times faster than Knuth-Morris-Pratt on ordinary text) when the
     * needle is short enough to bound its worst case, else with Knuth-Morris-Pratt.
     */
    private static int findExact(String text, int from, int to, String needle) {
        int m = needle.length();
        if (m <= SHORT) {
            int at = text.indexOf(needle, from);
            return at >= 0 && at + m <= to ? at + m : -1;
        }
        int[] fallback = new int[m];
        for (int i = 1, k = 0; i < m; i++) {
            while (k > 0 && needle.charAt(i) != needle.charAt(k)) k = fallback[k - 1];
            if (needle.charAt(i) == needle.charAt(k)) k++;
            fallback[i] = k;
        }
        for (int i = from, k = 0; i < to; i++) {
            char c = text.charAt(i);
            while (k > 0 && c != needle.charAt(k)) k = fallback[k - 1];
            if (c == needle.charAt(k) && ++k == m) return i + 1;
        }
        return -1;
    }

    /**
     * As {@link #findExact}, with {@code _} in {@code segment} standing for any one code point. Shift-and: bit
     * {@code j} of the state is set when the code points read so far end with the first {@code j + 1} of the segment.
     */
    private static int findWild(String text, int from, int to, String segment) {
        int[] cps = segment.codePoints().toArray();
        Masks masks = new Masks(cps);
        int k = cps.length;
        long[] state = new long[masks.any.length];
        int lastWord = (k - 1) >>> 6;
        long lastBit = 1L << ((k - 1) & 63);
        int pos = from;
        while (pos < to) {
            int c = text.codePointAt(pos);
            pos += Character.charCount(c);
            long[] mask = masks.of(c);
            long carry = 1;
            for (int w = 0; w < state.length; w++) {
                long next = state[w] >>> 63;
                state[w] = ((state[w] << 1) | carry) & mask[w];
                carry = next;
            }
            if ((state[lastWord] & lastBit) != 0) return pos;
        }
        return -1;
    }

    /** Per code point, the segment positions it may stand at (bit {@code j}: position {@code j}); ASCII in an array. */
    private static final class Masks {
        final long[] any;
        private final long[][] ascii = new long[128][];
        private final Map<Integer, long[]> other = new HashMap<>();

        Masks(int[] segment) {
            any = new long[(segment.length + 63) >>> 6];
            for (int j = 0; j < segment.length; j++) {
                if (segment[j] == '_') any[j >>> 6] |= 1L << (j & 63);
            }
            for (int j = 0; j < segment.length; j++) {
                int c = segment[j];
                if (c == '_') continue;
                long[] m = c < 128 ? ascii[c] : other.get(c);
                if (m == null) {
                    m = any.clone();
                    if (c < 128) ascii[c] = m;
                    else other.put(c, m);
                }
                m[j >>> 6] |= 1L << (j & 63);
            }
        }

        long[] of(int c) {
            long[] m = c < 128 ? ascii[c] : other.get(c);
            return m == null ? any : m;
        }
    }
}
