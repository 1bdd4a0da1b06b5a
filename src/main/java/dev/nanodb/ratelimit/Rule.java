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
 * @param key        {@code METHOD path}, which also names the rule's counters (they survive a reload that keeps it)
 * @param source     {@code env} or the id of the {@code _rate_limits} record
 * @param rejections requests this rule answered with 429 since start-up
 */
public record Rule(String key, String method, String path, String[] segments, int max, long windowMillis,
                   String source, LongAdder rejections) {

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
    static Rule of(String method, String path, int max, long windowMillis, String source, LongAdder rejections) {
        String[] segments = path.equals("/") ? new String[0] : path.substring(1).split("/");
        return new Rule(method + " " + path, method, path, segments, max, windowMillis, source, rejections);
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
