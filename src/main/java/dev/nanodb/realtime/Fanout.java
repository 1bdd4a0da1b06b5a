package dev.nanodb.realtime;

import dev.nanodb.filter.Budget;
import dev.nanodb.records.RecordJson;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.CompiledRules;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who receives one committed change, and what: only clients indexed under the change's collection or
 * record are looked at; each one's permission is the collection's list rule ({@code coll/*}, seed streams) or
 * view rule ({@code coll/ID}) evaluated in memory for that client's identity against the record, at most once
 * per rule and client; a subscription's filter must hold too. The payloads are serialised once per distinct shape
 * and shared ({@link Payloads}, which also bounds what one change may build); hidden fields are removed by
 * {@link RecordJson} as in every other answer.
 *
 * <p>Clients without subscription filters or expansions are served on the fan-out thread. A client with either
 * is served in the {@link FilterLane}; an expansion is bounded by {@link dev.nanodb.records.Expander#EVENT} per
 * subscription and event, and the client's filters may cost at most {@link #FILTER_BUDGET} units per event (about one
 * unit per character or element they read, see {@link Budget}); a client whose filters cost more is dropped and
 * counted, so one client's filters can never stall the events of the others.
 *
 * <p>A change to an auth record also updates the identity of that user's open streams: after a password change
 * or a deletion they continue as anonymous, so they stop receiving what only that user could see.
 */
final class Fanout {
    /**
     * What one client's filters may cost for one event, in {@link Budget} units (about one character compared
     * each; a bound, the usual cost is far lower): some milliseconds of CPU. One {@code ~} over a 1,000,000-character
     * value fits, whatever its pattern; two with long patterns do not.
     */
    static final long FILTER_BUDGET = 32_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);
    private final RealtimeHub hub;
    private final RecordService records;
    private final FilterLane lane;

    Fanout(RealtimeHub hub, RecordService records, FilterLane lane) {
        this.hub = hub;
        this.records = records;
        this.lane = lane;
    }

    void dispatch(List<Change> changes) {
        for (Change change : changes) {
            CollectionDef c = records.collections().find(change.collectionId()).orElse(null);
            if (c == null) continue;
            if (c.isAuth()) refreshIdentities(c, change);
            Set<RealtimeClient> targets = new LinkedHashSet<>(hub.topics.get(TopicIndex.all(c.name())));
            targets.addAll(hub.topics.get(TopicIndex.record(c.name(), change.record().id())));
            targets.addAll(hub.seedAll);
            if (targets.isEmpty()) continue;
            change.record().data();
            Payloads payloads = new Payloads(c, change);
            CompiledRules rules = records.rules(c);
            boolean rulesRead = rules.reads(Action.LIST) || rules.reads(Action.VIEW);
            for (RealtimeClient client : targets) {
                Delivery d = new Delivery(client, client.identity, client.mode, client.subscriptions, rules, change, payloads);
                if (!rulesRead && !lane.needs(client, d.subscriptions())) {
                    deliver(d, null);
                } else if (!lane.submit(client, () -> laneDelivery(d), change.record().json().length)) {
                    hub.dropSlow(client);
                }
            }
        }
    }

    /**
     * One client's share of one change, with the client's identity, mode and subscriptions as they were when the
     * change was fanned out: whether it is delivered here or later in the lane, it is judged as of then. (The
     * record was parsed once above, so reading its fields costs every client a map lookup, not a scan of its JSON.)
     */
    private record Delivery(RealtimeClient client, Identity identity, RealtimeClient.Mode mode, List<Subscription> subscriptions,
                            CompiledRules rules, Change change, Payloads payloads) {}

    private void laneDelivery(Delivery d) {
        try {
            deliver(d, new Budget(FILTER_BUDGET));
        } catch (Budget.Exceeded e) {
            hub.dropCostly(d.client());
        } catch (RuntimeException e) {
            LOG.error("realtime delivery failed", e);
        }
    }

    /** @param budget what the client's filters may cost for this change; null only when no subscription has one */
    private void deliver(Delivery d, Budget budget) {
        RealtimeClient client = d.client();
        if (client.closed) return;
        CompiledRules rules = d.rules();
        CollectionDef c = rules.def();
        Change change = d.change();
        Record r = change.record();
        RequestInfo req = new RequestInfo(d.identity(), "GET", Map.of(), Map.of());
        if (d.mode() != RealtimeClient.Mode.POCKETBASE) {
            if (before(change, client.openedAfterSeq)) return;
            Set<String> only = client.seedCollections;
            if (only != null && !only.contains(c.name())) return;
            if (!Access.admits(rules, Action.VIEW, req, r)) return;
            send(client, "message", d.payloads().seed(d.identity()));
            return;
        }
        Boolean mayList = null;
        Boolean mayView = null;
        boolean first = true;
        for (Subscription s : d.subscriptions()) {
            if (!s.collection().equals(c.name())) continue;
            if (s.recordId() != null && !s.recordId().equals(r.id())) continue;
            if (before(change, client.topicsAfterSeq.getOrDefault(s.topic(), 0L))) continue;
            if (s.recordId() == null) {
                if (mayList == null) mayList = Access.admits(rules, Action.LIST, req, r);
                if (!mayList) continue;
            } else {
                if (mayView == null) mayView = Access.admits(rules, Action.VIEW, req, r);
                if (!mayView) continue;
            }
            if (s.filter() != null && !Access.matches(rules, req, r, s.filter(), budget)) continue;
            byte[] payload = s.expand() == null ? d.payloads().pocketBase(s.fields(), first, d.identity())
                    : d.payloads().expanded(records, req, s, first);
            if (!send(client, s.topic(), payload)) return;
            first = false;
        }
    }

    /** Queues one event; a payload the change could not afford (null) drops the client instead. */
    private boolean send(RealtimeClient client, String event, byte[] data) {
        if (data == null) {
            hub.dropCostly(client);
            return false;
        }
        hub.send(client, event, data);
        return true;
    }

    /** Committed before the subscription existed (seq 0: a store that does not number changes, never skipped). */
    private static boolean before(Change change, long subscribedAfter) {
        return change.seq() > 0 && change.seq() <= subscribedAfter;
    }

    private void refreshIdentities(CollectionDef c, Change change) {
        Record r = change.record();
        for (RealtimeClient client : hub.clientsOf(c.id(), r.id())) {
            Identity who = client.identity;
            if (who == null) continue;
            boolean revoked = change.action() == Change.Action.DELETE
                    || !Objects.equals(who.record().resolve("tokenKey"), r.resolve("tokenKey"));
            client.identity = revoked ? null : new Identity(c, r);
        }
    }
}
