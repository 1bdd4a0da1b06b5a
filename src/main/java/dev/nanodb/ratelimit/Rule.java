package dev.nanodb.ratelimit;

import dev.nanodb.store.CollectionDef;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One active rule: at most {@code max} requests per {@code windowMillis} from one client to the paths it matches.
 *
 * <p>A path matches by whole segments as a prefix: {@code /api/collections} matches {@code /api/collections} and
 * everything below it, never {@code /api/collectionsX}; a {@code *} segment matches exactly one segment; the path
 * {@code /} matches everything. When several rules match a request, only the most specific one counts it
 * ({@link #SPECIFIC_FIRST}).
 *
 * <p>A literal segment after {@code /api/collections/} names a collection, and every route there takes a
 * collection's name or id. Such a segment matches the collection it names ({@link Collections#find}, by name,
 * else by id, as the routes resolve it) however the request addresses it: a rule naming {@code users} counts
 * {@code /api/collections/pbc_users000000/records} too. A name means the collection currently so named (a
 * renamed collection leaves the old name's rules and comes under the new name's); an id stays with its
 * collection. The lookup runs only when everything else of the rule matched and the segment is not the literal
 * itself, so a request that names the collection as the rule does costs nothing more. When no collection answers
 * to the rule's segment, it is not asked again for {@link #UNKNOWN_RECHECK_MILLIS}: on PostgreSQL a miss reads the
 * database, and such a rule would otherwise cost a query per request of its shape; the price is that requests by
 * id to a collection that has just taken the rule's name may pass uncounted for that long.
 *
 * <p>Rules are immutable apart from that memo of a miss; a reload builds new ones, handing each the rejection
 * counter of the rule with the same key it replaces.
 */
final class Rule {
    static final long UNKNOWN_RECHECK_MILLIS = 1000;
    private static final int COLLECTION_SEGMENT = 2;

    /** Finds a collection by name, else by id ({@code Store.collection}). */
    @FunctionalInterface
    interface Collections {
        Optional<CollectionDef> find(String nameOrId);
    }

    private final String key;
    private final String method;
    private final String[] segments;
    private final boolean namesCollection;
    private final int max;
    private final long windowMillis;
    private final LongAdder rejections;
    /** Until when (clock millis) the named collection is taken to be missing. */
    private volatile long unknownUntil = Long.MIN_VALUE;

    private Rule(String key, String method, String[] segments, int max, long windowMillis, LongAdder rejections) {
        this.key = key;
        this.method = method;
        this.segments = segments;
        this.namesCollection = segments.length > COLLECTION_SEGMENT && segments[0].equals("api")
                && segments[1].equals("collections") && !segments[COLLECTION_SEGMENT].equals("*");
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

    /**
     * Whether the rule applies to a request; allocation-free, as it runs for every request.
     *
     * @param clockMillis the limiter's clock, read only for the memo of a missing collection
     */
    boolean matches(String requestMethod, String requestPath, Collections collections, LongSupplier clockMillis) {
        if (!method.equals("*") && !method.equals(requestMethod)) return false;
        int pos = 1;
        int length = requestPath.length();
        int otherStart = -1;
        int otherEnd = -1;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (pos > length) return false;
            int end = requestPath.indexOf('/', pos);
            if (end < 0) end = length;
            if (end == pos) return false;
            if (!segment.equals("*") && !regionIs(requestPath, pos, end, segment)) {
                if (i != COLLECTION_SEGMENT || !namesCollection) return false;
                otherStart = pos;
                otherEnd = end;
            }
            pos = end + 1;
        }
        return otherStart < 0 || sameCollection(requestPath, otherStart, otherEnd, collections, clockMillis.getAsLong());
    }

    /** Whether the request's collection segment (another text than the rule's) addresses the rule's collection. */
    private boolean sameCollection(String path, int start, int end, Collections collections, long nowMillis) {
        if (nowMillis < unknownUntil) return false;
        CollectionDef named = collections.find(segments[COLLECTION_SEGMENT]).orElse(null);
        if (named == null) {
            unknownUntil = nowMillis + UNKNOWN_RECHECK_MILLIS;
            return false;
        }
        return regionIs(path, start, end, named.id()) || regionIs(path, start, end, named.name());
    }

    private static boolean regionIs(String path, int start, int end, String text) {
        return end - start == text.length() && path.regionMatches(start, text, 0, text.length());
    }
}
