package dev.nanodb.realtime;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Expr;
import dev.nanodb.filter.Filters;
import dev.nanodb.records.ListParams;
import dev.nanodb.records.QueryBuilder;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected clients, their subscriptions, and the fan-out of the store's change feed.
 *
 * <p>Threads: the store calls {@link #onCommit} on its commit thread; the hub only hands the changes to its own
 * single fan-out thread, so commits never wait for clients and changes are fanned out in commit order. The
 * fan-out decides per client and event (see {@link Fanout}) and queues each send on the client's executor (its
 * connection's event loop), which keeps every client's events in order. A client whose bounded send queue is
 * full is dropped and counted; nothing else waits for it.
 */
public final class RealtimeHub implements ChangeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeHub.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param maxStreams  open streams in all (each costs about 11 KB of heap, most of it Vert.x's per-connection
     *                    state): beyond it a new stream is answered 503, so a flood of streams can never exhaust
     *                    the heap and take the server down
     * @param idleTimeout a PocketBase client with no subscription for this long is closed
     */
    public record Limits(int maxStreams, int streamsPerIp, int subscriptionsPerClient, Duration idleTimeout) {}

    /**
     * The most comparisons one subscription filter may hold (list filters may hold 256): every event of the
     * collection evaluates it, so it is kept small; with {@link Fanout#FILTER_BUDGET} it bounds what a client's
     * filters cost per event.
     */
    public static final int MAX_FILTER_COMPARISONS = 32;

    /** Heap one open stream costs, measured with 2,000 streams (class histogram delta: 10.6 KB) plus a margin. */
    public static final long HEAP_PER_STREAM = 12 * 1024;
    /** Heap kept for everything else when the stream limit is derived from the heap size. */
    public static final long HEAP_RESERVE = 24L << 20;

    /** The default stream limit for a heap of {@code maxHeap} bytes: what fits beside the reserve, at least 100. */
    public static int streamsFor(long maxHeap) {
        return (int) Math.max(100, Math.min(1_000_000, (maxHeap - HEAP_RESERVE) / HEAP_PER_STREAM));
    }

    private final Store store;
    private final RecordService records;
    private final Limits limits;
    private final ConcurrentHashMap<String, RealtimeClient> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    final TopicIndex topics = new TopicIndex();
    final Set<RealtimeClient> seedAll = ConcurrentHashMap.newKeySet();
    private final ExecutorService fanoutThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nanodb-realtime");
        t.setDaemon(true);
        return t;
    });
    private final FilterLane lane = new FilterLane();
    private final Fanout fanout;
    /** The highest change seq received from the store, before its fan-out (which runs behind) delivered it. */
    private final AtomicLong lastSeqReceived = new AtomicLong();
    private final LongAdder connects = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder costly = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    final LongAdder events = new LongAdder();

    public RealtimeHub(RecordService records, Limits limits) {
        this.store = records.store();
        this.records = records;
        this.limits = limits;
        this.fanout = new Fanout(this, records, lane);
    }

    /**
     * Registers a new stream. 429 when its IP already holds the most streams allowed, 503 when the server does.
     *
     * @param seedCollections the seed's {@code ?collections=} (null = every collection the client may view)
     */
    public RealtimeClient connect(String ip, Identity identity, Set<String> seedCollections, Sink sink, Executor executor) {
        if (clients.size() >= limits.maxStreams()) {
            refused.increment();
            throw new ApiException(503, "The server holds as many realtime streams as it can; retry later.");
        }
        AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() > limits.streamsPerIp()) {
            n.decrementAndGet();
            refused.increment();
            throw ApiException.tooManyRequests(5);
        }
        byte[] raw = new byte[30];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        RealtimeClient c = new RealtimeClient(id, ip, sink, executor, identity, seedCollections);
        c.openedAfterSeq = lastSeqReceived.get();
        clients.put(id, c);
        index(c, true);
        connects.increment();
        settle(c);
        return c;
    }

    /** Forgets a client (its stream ended); idempotent: true only for the call that forgot it. */
    public boolean disconnect(RealtimeClient c) {
        synchronized (c) {
            if (c.closed) return false;
            c.closed = true;
            clients.remove(c.id());
            index(c, false);
        }
        AtomicInteger n = perIp.get(c.ip());
        if (n != null && n.decrementAndGet() <= 0) perIp.remove(c.ip(), n);
        return true;
    }

    /**
     * Replaces a client's subscriptions (PocketBase semantics: empty = unsubscribe from everything) and sets its
     * identity to the caller of this request. A stream that belongs to an account (opened with its token, or
     * subscribed once by it) may be subscribed only by that account: anyone else, anonymous callers included,
     * gets 403 and changes nothing, as in PocketBase. An anonymous stream is claimed by the first authenticated
     * caller that subscribes it (the SDK subscribes before login and again after). Topics are validated next, so
     * a bad request changes nothing either.
     */
    public void subscribe(String clientId, Identity identity, List<?> raw) {
        RealtimeClient c = clientId == null ? null : clients.get(clientId);
        if (c == null) throw ApiException.notFound("Missing or invalid client id.");
        checkOwner(c, identity);
        if (raw.size() > limits.subscriptionsPerClient()) {
            throw ApiException.invalidField("subscriptions", "validation_too_many",
                    "At most " + limits.subscriptionsPerClient() + " subscriptions per client.");
        }
        RequestInfo req = new RequestInfo(identity, "GET", Map.of(), Map.of());
        Set<Subscription> subs = new LinkedHashSet<>();
        Set<String> serverTopics = new LinkedHashSet<>();
        for (Object o : raw) {
            if (!(o instanceof String topic) || topic.length() > 4096 || topic.chars().anyMatch(ch -> ch < 0x20)) {
                throw Subscription.invalid(String.valueOf(o));
            }
            if (topic.equals(OAUTH2)) {
                serverTopics.add(topic);
                continue;
            }
            Subscription.Parsed p = Subscription.parse(topic);
            CollectionDef def = store.collection(p.collection()).orElseThrow(() -> Subscription.invalid(topic));
            Expr filter = QueryBuilder.clientFilter(def, p.filter(), req, true);
            records.checkClientFilter(def, filter, req);
            if (Filters.comparisons(filter) > MAX_FILTER_COMPARISONS) {
                throw ApiException.invalidField("subscriptions", "validation_filter_too_complex", "A subscription filter"
                        + " may hold at most " + MAX_FILTER_COMPARISONS + " comparisons: " + Subscription.shown(topic));
            }
            subs.add(new Subscription(topic, def.name(), p.recordId(), filter, ListParams.fieldSet(p.fields()),
                    new Subscription.Options(p.expand(), p.fields())));
        }
        synchronized (c) {
            checkOwner(c, identity);
            if (c.owner == null) c.owner = RealtimeClient.ownerKey(identity);
            List<String> before = keys(c);
            boolean wasSeedAll = c.mode == RealtimeClient.Mode.SEED_ALL;
            // watermarks before the topics: the fan-out must never see a new topic without its watermark
            Map<String, Long> since = new HashMap<>();
            for (Subscription sub : subs) {
                since.put(sub.topic(), c.topicsAfterSeq.getOrDefault(sub.topic(), lastSeqReceived.get()));
            }
            c.topicsAfterSeq = since;
            c.identity = identity;
            c.mode = RealtimeClient.Mode.POCKETBASE;
            c.subscriptions = List.copyOf(subs);
            c.serverTopics = Set.copyOf(serverTopics);
            c.lastSubscribedAt = System.nanoTime();
            // new keys first, then the ones no longer wanted: a topic kept across the change is never unindexed,
            // so no event of it can slip through while the list is replaced
            List<String> after = keys(c);
            if (!c.closed) for (String k : after) topics.add(k, c);
            for (String k : before) if (!after.contains(k)) topics.remove(k, c);
            if (wasSeedAll) seedAll.remove(c);
        }
        settle(c);
    }

    /**
     * PocketBase's {@code @oauth2} topic: a client waiting for the provider's redirect of its all-in-one OAuth2
     * sign-in ({@code /api/oauth2-redirect} with {@code state} = the client id).
     */
    public static final String OAUTH2 = "@oauth2";

    /**
     * Sends {@code data} as the event {@code topic} to the client {@code clientId} once: only when it is
     * connected, subscribed to that server topic and connected from {@code clientKey} (PocketBase's check that the
     * browser finishing the sign-in is where the stream was opened from); the topic is then unsubscribed, so one
     * subscription receives one message. False when nothing was sent.
     */
    public boolean deliverOnce(String clientId, String topic, String clientKey, byte[] data) {
        RealtimeClient c = clientId == null ? null : clients.get(clientId);
        if (c == null || !c.ip().equals(clientKey)) return false;
        synchronized (c) {
            if (c.closed || !c.serverTopics.contains(topic)) return false;
            Set<String> rest = new LinkedHashSet<>(c.serverTopics);
            rest.remove(topic);
            c.serverTopics = Set.copyOf(rest);
        }
        c.executor().execute(() -> {
            if (!c.sink().send(topic, null, data)) dropSlow(c);
        });
        return true;
    }

    private static void checkOwner(RealtimeClient c, Identity caller) {
        String owner = c.owner;
        if (owner != null && !owner.equals(RealtimeClient.ownerKey(caller))) {
            throw new ApiException(403, "The current and the previous request authorization don't match.");
        }
    }

    /**
     * Re-checks a client's identity against the stored auth record after setting it. The token was verified
     * before this request reached the hub; a password change or deletion committed in between has already been
     * fanned out (and would have revoked an identity this client did not hold yet), so it is caught here. One that
     * commits later finds the identity set and revokes it in the fan-out.
     */
    private void settle(RealtimeClient c) {
        Identity who = c.identity;
        if (who == null) return;
        Record stored = store.get(who.collection().name(), who.id()).orElse(null);
        if (stored == null || !Objects.equals(stored.resolve("tokenKey"), who.record().resolve("tokenKey"))) {
            synchronized (c) {
                if (c.identity == who) c.identity = null;
            }
        }
    }

    @Override
    public void onCommit(List<Change> changes) {
        for (Change ch : changes) lastSeqReceived.accumulateAndGet(ch.seq(), Math::max);
        try {
            fanoutThread.execute(() -> {
                try {
                    fanout.dispatch(changes);
                } catch (Throwable e) {
                    LOG.error("realtime fan-out failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: no more events
        }
    }

    /** Queues a send on the client's event loop; a full queue or a closed stream drops the client. */
    void send(RealtimeClient c, String event, byte[] data) {
        events.increment();
        c.executor().execute(() -> {
            if (c.closed) return;
            if (!c.sink().send(event, null, data)) dropSlow(c);
        });
    }

    /** Drops a client that does not keep up: its send queue is full, or its deliveries pile up in the filter lane. */
    void dropSlow(RealtimeClient c) {
        drop(c, dropped);
    }

    /**
     * Drops a client whose subscription filters cost more than their budget for one event, or whose event would
     * need a payload its change can no longer afford.
     */
    void dropCostly(RealtimeClient c) {
        if (drop(c, costly)) LOG.info("realtime client {} dropped: its subscriptions cost more than one event may", c.id());
    }

    /**
     * Forgets a client at once — deliveries of it still waiting (in the filter lane, on its event loop) then end
     * without running — counts it once under {@code why}, and ends its stream on its event loop. Any thread.
     */
    private boolean drop(RealtimeClient c, LongAdder why) {
        if (!disconnect(c)) return false;
        why.increment();
        c.executor().execute(() -> c.sink().close());
        return true;
    }

    /** Heartbeats every client and closes PocketBase clients idle without subscriptions; called every 30 s. */
    public void tick() {
        long now = System.nanoTime();
        for (RealtimeClient c : clients.values()) {
            boolean idle = c.mode == RealtimeClient.Mode.POCKETBASE && c.subscriptions.isEmpty()
                    && now - c.lastSubscribedAt > limits.idleTimeout().toNanos();
            c.executor().execute(() -> {
                if (c.closed) return;
                if (idle) {
                    idleClosed.increment();
                    disconnect(c);
                    c.sink().close();
                } else if (!c.sink().heartbeat()) {
                    dropSlow(c);
                }
            });
        }
    }

    /** The open streams whose identity is that auth record (scans every client; auth records change rarely). */
    List<RealtimeClient> clientsOf(String collectionId, String recordId) {
        List<RealtimeClient> out = new ArrayList<>();
        for (RealtimeClient c : clients.values()) {
            Identity who = c.identity;
            if (who != null && who.id().equals(recordId) && who.collection().id().equals(collectionId)) out.add(c);
        }
        return out;
    }

    public RealtimeStats stats() {
        return new RealtimeStats(clients.size(), connects.sum(), refused.sum(), dropped.sum(), costly.sum(), idleClosed.sum(),
                events.sum());
    }

    /** Ends every stream (shutdown). */
    @Override
    public void close() {
        fanoutThread.shutdown();
        lane.close();
        for (RealtimeClient c : new ArrayList<>(clients.values())) {
            disconnect(c);
            c.executor().execute(() -> c.sink().close());
        }
    }

    /** Adds or removes a client under every topic key it listens to. */
    private void index(RealtimeClient c, boolean add) {
        if (c.mode == RealtimeClient.Mode.SEED_ALL) {
            if (add) seedAll.add(c);
            else seedAll.remove(c);
            return;
        }
        for (String k : keys(c)) {
            if (add) topics.add(k, c);
            else topics.remove(k, c);
        }
    }

    /** The topic keys a client listens to (none for a seed stream that wants everything). */
    private static List<String> keys(RealtimeClient c) {
        List<String> keys = new ArrayList<>();
        if (c.mode == RealtimeClient.Mode.SEED_COLLECTIONS) {
            for (String name : c.seedCollections) keys.add(TopicIndex.all(name));
        } else if (c.mode == RealtimeClient.Mode.POCKETBASE) {
            for (Subscription s : c.subscriptions) {
                keys.add(s.recordId() == null ? TopicIndex.all(s.collection()) : TopicIndex.record(s.collection(), s.recordId()));
            }
        }
        return keys;
    }
}
