package dev.nanodb.ratelimit;

import java.util.Comparator;
import java.util.concurrent.atomic.LongAdder;

/**
 * One active rule: at most {@code max} requests per {@code windowMillis} from one client IP to the paths it matches.
 *
 * <p>A path matches by whole segments as a prefix: {@code /api/collections} matches {@code /api/collections} and
 * everything below it, never {@code /api/collectionsX}; a {@code *} segment matches exactly one segment; the path
 * {@code /} matches everything. When several rules match a request, only the most specific one counts it
 * ({@link #SPECIFIC_FIRST}).
 *
 * <p>Rules are immutable; a reload builds new ones, handing each the rejection counter of the rule with the same
 * key it replaces.
 */
final class Rule {
    private final String key;
    private final String method;
    private final String[] segments;
    private final int max;
    private final long windowMillis;
    private final LongAdder rejections;

    private Rule(String key, String method, String[] segments, int max, long windowMillis, LongAdder rejections) {
        this.key = key;
        this.method = method;
        this.segments = segments;
        this.max = max;
        this.windowMillis = windowMillis;
        this.rejections = rejections;
    }

    /** {@code METHOD path}: the rule's name in statistics, and the name of its counters (they survive a reload). */
    String key() {
        return key;
    }

    int max() {
        return max;
    }

    long windowMillis() {
        return windowMillis;
    }

    /** Requests this rule (or the rule of the same key it replaced) answered with 429 since start-up. */
    LongAdder rejections() {
        return rejections;
    }

    /**
     * More segments first; then, segment by segment, a literal before {@code *}; then a named method before any
     * method; the key decides the rest so that the order never depends on the order of definition.
     */
    public static final Comparator<Rule> SPECIFIC_FIRST = (a, b) -> {
        if (a.segments.length != b.segments.length) return Integer.compare(b.segments.length, a.segments.length);
        for (int i = 0; i < a.segments.length; i++) {
            boolean aw = a.segments[i].equals("*");
            boolean bw = b.segments[i].equals("*");
            if (aw != bw) return aw ? 1 : -1;
        }
        boolean aAny = a.method.equals("*");
        boolean bAny = b.method.equals("*");
        if (aAny != bAny) return aAny ? 1 : -1;
        return a.key.compareTo(b.key);
    };

    /**
     * @param method an upper-case method or {@code *}
     * @param path   a path in the form {@link dev.nanodb.config.RateLimitRules#path} keeps
     */
    static Rule of(String method, String path, int max, long windowMillis, LongAdder rejections) {
        String[] segments = path.equals("/") ? new String[0] : path.substring(1).split("/");
        return new Rule(method + " " + path, method, segments, max, windowMillis, rejections);
    }

    /** Whether the rule applies to a request; allocation-free, as it runs for every request. */
    boolean matches(String requestMethod, String requestPath) {
        if (!method.equals("*") && !method.equals(requestMethod)) return false;
        int pos = 1;
        int length = requestPath.length();
        for (String segment : segments) {
            if (pos > length) return false;
            int end = requestPath.indexOf('/', pos);
            if (end < 0) end = length;
            if (end == pos) return false;
            if (!segment.equals("*")
                    && (end - pos != segment.length() || !requestPath.regionMatches(pos, segment, 0, segment.length()))) {
                return false;
            }
            pos = end + 1;
        }
        return true;
    }
}
