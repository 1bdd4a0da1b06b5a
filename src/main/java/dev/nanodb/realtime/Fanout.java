package dev.nanodb.realtime;

import dev.nanodb.error.ApiException;
import dev.nanodb.filter.Evaluator;
import dev.nanodb.json.Json;
import dev.nanodb.records.RecordJson;
import dev.nanodb.rules.Access;
import dev.nanodb.rules.Action;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides who receives one committed change, and what: only clients indexed under the change's collection or
 * record are looked at; each one's permission is the collection's list rule ({@code coll/*}, seed streams) or
 * view rule ({@code coll/ID}) evaluated in memory for that client's identity against the record; a
 * subscription's filter must hold too. The payload is serialised once per distinct shape (protocol and
 * {@code fields}) and shared by every client that gets that shape; hidden fields are removed by
 * {@link RecordJson} as in every other answer.
 *
 * <p>A change to an auth record also updates the identity of that user's open streams: after a password change
 * or a deletion they continue as anonymous, so they stop receiving what only that user could see.
 */
final class Fanout {
    private final RealtimeHub hub;
    private final Store store;

    Fanout(RealtimeHub hub, Store store) {
        this.hub = hub;
        this.store = store;
    }

    void dispatch(List<Change> changes) {
        for (Change change : changes) {
            CollectionDef c = store.collection(change.collectionId()).orElse(null);
            if (c == null) continue;
            if (c.isAuth()) refreshIdentities(c, change);
            Set<RealtimeClient> targets = new LinkedHashSet<>(hub.topics.get(TopicIndex.all(c.name())));
            targets.addAll(hub.topics.get(TopicIndex.record(c.name(), change.record().id())));
            targets.addAll(hub.seedAll);
            if (targets.isEmpty()) continue;
            Map<String, byte[]> shapes = new HashMap<>();
            for (RealtimeClient client : targets) deliver(client, c, change, shapes);
        }
    }

    private void deliver(RealtimeClient client, CollectionDef c, Change change, Map<String, byte[]> shapes) {
        if (client.closed) return;
        Record r = change.record();
        RequestInfo req = new RequestInfo(client.identity, "GET", Map.of(), Map.of());
        if (client.mode != RealtimeClient.Mode.POCKETBASE) {
            if (before(change, client.openedAfterSeq)) return;
            Set<String> only = client.seedCollections;
            if (only != null && !only.contains(c.name())) return;
            if (!allowed(c, Action.VIEW, req, r)) return;
            byte[] data = shapes.computeIfAbsent("seed", k -> seedPayload(c, change));
            hub.send(client, "message", data);
            return;
        }
        for (Subscription s : client.subscriptions) {
            if (!s.collection().equals(c.name())) continue;
            if (s.recordId() != null && !s.recordId().equals(r.id())) continue;
            if (before(change, client.topicsAfterSeq.getOrDefault(s.topic(), 0L))) continue;
            if (!allowed(c, s.recordId() == null ? Action.LIST : Action.VIEW, req, r)) continue;
            if (s.filter() != null && !Evaluator.test(s.filter(), r::resolve)) continue;
            String shape = "pb:" + (s.fields() == null ? "*" : String.join(",", s.fields()));
            byte[] data = shapes.computeIfAbsent(shape, k -> pocketBasePayload(c, change, s.fields()));
            hub.send(client, s.topic(), data);
        }
    }

    /** Committed before the subscription existed (seq 0: a store that does not number changes, never skipped). */
    private static boolean before(Change change, long subscribedAfter) {
        return change.seq() > 0 && change.seq() <= subscribedAfter;
    }

    private static boolean allowed(CollectionDef c, Action action, RequestInfo req, Record r) {
        try {
            return Access.allows(c, action, req, r);
        } catch (ApiException locked) {
            return false;
        }
    }

    private static byte[] pocketBasePayload(CollectionDef c, Change change, Set<String> fields) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("action", change.action().wireName());
        out.put("record", RecordJson.toMap(c, change.record(), fields));
        return Json.write(out);
    }

    private static byte[] seedPayload(CollectionDef c, Change change) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("collection", c.name());
        out.put("action", change.action().wireName());
        out.put("data", RecordJson.toMap(c, change.record(), null));
        return Json.write(out);
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
