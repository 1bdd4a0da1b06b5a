package dev.nanodb.realtime;

import java.util.Map;

import dev.nanodb.rules.Identity;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One connected stream. Its mutable state is replaced as a whole (volatile fields holding immutable values), so
 * the fan-out thread always sees a consistent subscription list and identity without locking.
 *
 * <p>Modes: a seed client opened with {@code ?collections=} receives {@code message} events for those
 * collections; a seed client opened without them receives {@code message} events for every record it may view;
 * the first PocketBase subscription request switches a client to PocketBase topics only.
 */
public final class RealtimeClient {
    enum Mode { SEED_ALL, SEED_COLLECTIONS, POCKETBASE }

    private final String id;
    private final String ip;
    private final Sink sink;
    private final Executor executor;
    volatile Identity identity;
    /**
     * Who the stream belongs to ({@code collectionId/recordId}): the identity it was opened with, else the first
     * authenticated caller that subscribed it. Set once, never cleared — not even when the identity is revoked by
     * a password change — so only that account can ever subscribe the stream again. Null while anonymous.
     */
    volatile String owner;
    volatile Mode mode;
    volatile Set<String> seedCollections;
    volatile List<Subscription> subscriptions = List.of();
    /** Subscribed server topics that are no collection ({@link RealtimeHub#OAUTH2}); replaced with the subscriptions. */
    volatile Set<String> serverTopics = Set.of();
    /** This client's deliveries waiting in the filter lane; created by the fan-out thread on first use. */
    volatile FilterLane.Queue lane;
    volatile long lastSubscribedAt;
    /**
     * The last change seq the hub had received when the stream opened (seed streams) or when each topic was
     * subscribed (kept topics keep theirs): the fan-out runs behind the store, so a change committed, and
     * answered, before then may still be on its way, and is not the subscriber's to receive.
     */
    volatile long openedAfterSeq;
    volatile Map<String, Long> topicsAfterSeq = Map.of();
    volatile boolean closed;

    RealtimeClient(String id, String ip, Sink sink, Executor executor, Identity identity, Set<String> seedCollections) {
        this.id = id;
        this.ip = ip;
        this.sink = sink;
        this.executor = executor;
        this.identity = identity;
        this.owner = ownerKey(identity);
        this.seedCollections = seedCollections;
        this.mode = seedCollections == null ? Mode.SEED_ALL : Mode.SEED_COLLECTIONS;
        this.lastSubscribedAt = System.nanoTime();
    }

    /** The owner key of an identity; null for an anonymous caller. */
    static String ownerKey(Identity who) {
        return who == null ? null : who.collection().id() + "/" + who.id();
    }

    public String id() {
        return id;
    }

    String ip() {
        return ip;
    }

    Sink sink() {
        return sink;
    }

    /** The executor every {@link Sink} call runs on (the connection's event loop). */
    public Executor executor() {
        return executor;
    }
}
