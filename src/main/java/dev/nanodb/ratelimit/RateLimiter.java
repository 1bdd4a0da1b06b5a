package dev.nanodb.ratelimit;

import dev.nanodb.config.Config;
import dev.nanodb.config.RateLimitRules;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.Page;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a request may proceed, by the most specific rule matching it (see {@link Rule}).
 *
 * <p>The active rules are those of {@code RATE_LIMITS} and the enabled records of the {@code _rate_limits}
 * collection; a record with the same method and path as an environment rule replaces it, and of two records
 * with the same method and path the one updated last counts. The rules are an immutable array swapped whole when
 * the collection changes (the store's change feed triggers a reload on a virtual thread), so a request reads
 * them without a lock and never sees half a reload. Records that do not form a valid rule (possible only if a
 * superuser loosened the collection's schema) are skipped with a warning.
 */
public final class RateLimiter implements ChangeListener {
    /** The system collection of rules; its schema is defined with the other system collections. */
    public static final String COLLECTION = "_rate_limits";
    /** The most collection rules read: matching is linear in the rules, and nobody needs thousands. */
    static final int MAX_COLLECTION_RULES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /**
     * The answer for one request under a rule: whether it may proceed, and the figures of the
     * {@code X-RateLimit-*} headers ({@code resetSeconds}: whole seconds until the window ends, rounded up).
     */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {}

    /** Figures for {@code /api/stats}: rejections in all and per active rule, and the tracked windows. */
    public record Stats(long rejected, Map<String, Long> rejectedByRule, int trackedKeys, int maxKeys) {}

    private final Store store;
    private final Rule.Collections collections;
    private final List<Config.RouteLimit> envRules;
    private final WindowTable table;
    private final LongSupplier clock;
    private final LongAdder rejected = new LongAdder();
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    private volatile Rule[] rules = new Rule[0];

    RateLimiter(Store store, Config.Traffic traffic, LongSupplier clockMillis) {
        this.store = store;
        this.collections = store::collection;
        this.envRules = traffic.rateLimits();
        this.table = new WindowTable(traffic.maxKeys());
        this.clock = clockMillis;
    }

    /** A limiter with the environment's rules and the collection's, following the collection's changes. */
    public static RateLimiter start(Store store, Config.Traffic traffic) {
        RateLimiter limiter = new RateLimiter(store, traffic, () -> System.nanoTime() / 1_000_000);
        limiter.reload();
        store.addChangeListener(limiter);
        return limiter;
    }

    /**
     * The decision for a request, counting it; null when no rule applies (no headers, no counting). The client key
     * is asked for only when a rule applies, so unlimited routes never pay for resolving it.
     *
     * @param clientKey who the request is counted for ({@link ClientIps#key}: the client's address, an IPv6
     *                  client's network)
     */
    public Decision check(String method, String path, Supplier<String> clientKey) {
        Rule rule = match(method, path);
        if (rule == null) return null;
        long now = clock.getAsLong();
        return decide(rule, table.hit(rule.key(), clientKey.get(), rule.windowMillis(), now), now);
    }

    /** A request that another one stands for (an operation of a batch): the method and path of its own route. */
    public record Route(String method, String path) {}

    /**
     * Counts each route exactly as {@link #check} would count it as a request of its own (by the rule that would
     * count it, under the same client key), and refuses them together: the decision of the first rule, in the
     * order of the routes, that any of them took over its limit; null when every count stayed within its limit
     * or no rule applies. Every route is counted even when one is refused, as each of the requests sent one by
     * one would have been.
     */
    public Decision checkAll(List<Route> routes, Supplier<String> clientKey) {
        Map<Rule, int[]> counts = new LinkedHashMap<>();
        for (Route r : routes) {
            Rule rule = match(r.method(), r.path());
            if (rule != null) counts.computeIfAbsent(rule, k -> new int[1])[0]++;
        }
        if (counts.isEmpty()) return null;
        long now = clock.getAsLong();
        String key = clientKey.get();
        Decision refused = null;
        for (Map.Entry<Rule, int[]> e : counts.entrySet()) {
            Rule rule = e.getKey();
            WindowTable.Hit hit = table.hit(rule.key(), key, rule.windowMillis(), now, e.getValue()[0]);
            if (hit.count() > rule.max() && refused == null) refused = decide(rule, hit, now);
        }
        return refused;
    }

    private Decision decide(Rule rule, WindowTable.Hit hit, long now) {
        boolean allowed = hit.count() <= rule.max();
        if (!allowed) {
            rejected.increment();
            rule.rejections().increment();
        }
        long reset = Math.max(1, (hit.end() - now + 999) / 1000);
        return new Decision(allowed, rule.max(), Math.max(0, rule.max() - hit.count()), reset);
    }

    private Rule match(String method, String path) {
        for (Rule r : rules) {
            if (r.matches(method, path, collections, clock)) return r;
        }
        return null;
    }

    public Stats stats() {
        Map<String, Long> byRule = new LinkedHashMap<>();
        for (Rule r : rules) byRule.put(r.key(), r.rejections().sum());
        return new Stats(rejected.sum(), byRule, table.size(), table.maxKeys());
    }

    /** Reloads the rules off the commit thread when a committed transaction touched the rules collection. */
    @Override
    public void onCommit(List<Change> changes) {
        for (Change c : changes) {
            if (COLLECTION.equals(c.collection())) {
                if (reloadPending.compareAndSet(false, true)) Thread.ofVirtual().name("nanodb-rate-limits").start(this::reloadLater);
                return;
            }
        }
    }

    /** A restore replaced the rules collection wholesale: read the rules again. */
    @Override
    public void onReset() {
        reloadLater();
    }

    private void reloadLater() {
        reloadPending.set(false);
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("rate limit rules not reloaded; the previous rules stay active", e);
        }
    }

    /** Reads the rules; serialised, so the last reload to finish has read the latest committed records. */
    synchronized void reload() {
        Map<String, LongAdder> counters = new HashMap<>();
        for (Rule r : rules) counters.put(r.key(), r.rejections());
        Map<String, Rule> byKey = new LinkedHashMap<>();
        for (Config.RouteLimit l : envRules) {
            Rule r = rule(l.method(), l.path(), l.max(), l.window().toMillis(), counters);
            byKey.put(r.key(), r);
        }
        for (Record rec : collectionRecords()) {
            Rule r = fromRecord(rec, counters);
            if (r != null) byKey.put(r.key(), r);
        }
        Rule[] next = byKey.values().toArray(Rule[]::new);
        Arrays.sort(next, Rule.SPECIFIC_FIRST);
        rules = next;
    }

    /** Enabled records, oldest update first, so that of two records for one method and path the later wins. */
    private List<Record> collectionRecords() {
        List<Record> out = new ArrayList<>();
        try {
            for (int page = 1; out.size() < MAX_COLLECTION_RULES; page++) {
                Page p = store.query(new Query(COLLECTION, null, List.of(), page, 200, true));
                for (Record r : p.items()) {
                    if (Boolean.TRUE.equals(r.data().get("enabled")) && out.size() < MAX_COLLECTION_RULES) out.add(r);
                }
                if (p.items().size() < 200) break;
            }
        } catch (StoreException.NotFound e) {
            return List.of();
        }
        if (out.size() >= MAX_COLLECTION_RULES) LOG.warn("only the first {} enabled {} records are used", MAX_COLLECTION_RULES, COLLECTION);
        out.sort(Comparator.comparing((Record r) -> String.valueOf(r.updated())).thenComparing(Record::id));
        return out;
    }

    private static Rule fromRecord(Record rec, Map<String, LongAdder> counters) {
        Map<String, Object> d = rec.data();
        String method = RateLimitRules.method(d.get("method") instanceof String s ? s : null);
        Object max = d.get("max");
        Object window = d.get("timeWindow");
        try {
            String path = RateLimitRules.path(d.get("path") instanceof String s ? s : null);
            if (method == null || !(max instanceof Number m) || m.doubleValue() < 1 || !(window instanceof Number w)
                    || w.doubleValue() < 1 || w.doubleValue() > RateLimitRules.MAX_WINDOW.toSeconds()) {
                throw new IllegalArgumentException("method, max or timeWindow out of range");
            }
            int limit = (int) Math.min(m.doubleValue(), 1_000_000_000);
            return rule(method, path, limit, (long) (w.doubleValue() * 1000), counters);
        } catch (IllegalArgumentException e) {
            LOG.warn("{} record {} is not a valid rule and is ignored: {}", COLLECTION, rec.id(), e.getMessage());
            return null;
        }
    }

    private static Rule rule(String method, String path, int max, long windowMillis, Map<String, LongAdder> counters) {
        LongAdder rejections = counters.computeIfAbsent(method + " " + path, k -> new LongAdder());
        return Rule.of(method, path, max, windowMillis, rejections);
    }
}
