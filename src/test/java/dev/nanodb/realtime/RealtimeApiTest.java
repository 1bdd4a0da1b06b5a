package dev.nanodb.realtime;

import static dev.nanodb.realtime.Fixture.WAIT;
import static dev.nanodb.realtime.Fixture.create;
import static dev.nanodb.realtime.Fixture.createAs;
import static dev.nanodb.realtime.Fixture.delete;
import static dev.nanodb.realtime.Fixture.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanodb.realtime.SseClient.Event;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The realtime protocols over real SSE connections: the handshake, PocketBase topics ({@code coll/*},
 * {@code coll/ID}) with create/update/delete in commit order, replace and unsubscribe semantics, refused
 * subscription requests, and the seed's {@code message} stream with and without {@code ?collections=}.
 */
@Timeout(60)
class RealtimeApiTest extends RealtimeTestSupport {

    /** The stream is {@code text/event-stream}; {@code PB_CONNECT} carries the client id as SSE id and in its data; {@code connected} follows. */
    @Test
    void handshakeSendsPbConnectWithTheClientIdThenConnected() {
        try (SseClient c = open("")) {
            assertThat(c.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            Event first = c.next(WAIT);
            assertThat(first.name()).isEqualTo("PB_CONNECT");
            assertThat(first.id()).isNotBlank().isEqualTo(first.json().get("clientId"));
            Event second = c.next(WAIT);
            assertThat(second.name()).isEqualTo("connected");
            assertThat(second.json()).containsEntry("clientId", first.id());
            try (SseClient other = open("")) {
                assertThat(other.clientId()).as("client ids are unique").isNotEqualTo(c.clientId());
            }
        }
    }

    /**
     * {@code coll/*} receives every create/update/delete of the collection and {@code coll/ID} every change of that
     * record, in commit order, named by the topic, with {@code _version} increasing; a client subscribed to both
     * gets each change once per matching topic.
     */
    @Test
    void collectionAndRecordTopicsReceiveChangesInOrder() {
        String c = Fixture.publicCollection(server, "order");
        String r0 = create(server, c, "{'title':'zero'}");
        String all = c + "/*";
        String one = c + "/" + r0;
        try (SseClient a = open(""); SseClient b = open(""); SseClient both = open("")) {
            a.subscribeOk(null, all);
            b.subscribeOk(null, one);
            both.subscribeOk(null, all, one);
            update(server, c, r0, "{'views':1}");
            String r1 = create(server, c, "{'title':'one'}");
            update(server, c, r0, "{'views':2}");
            update(server, c, r1, "{'views':3}");
            delete(server, c, r0);
            delete(server, c, r1);

            List<Event> pbA = pocketBase(a.until(e -> isDelete(e, all, r1), WAIT));
            assertThat(pbA).extracting(Event::name).containsOnly(all);
            assertThat(pbA).extracting(Event::action, Event::recordId).containsExactly(
                    tuple("update", r0), tuple("create", r1), tuple("update", r0), tuple("update", r1),
                    tuple("delete", r0), tuple("delete", r1));
            assertThat(versions(pbA, r0)).as("_version of %s: updates, then the deleted record", r0)
                    .startsWith(2L, 3L).hasSize(3).isSorted();
            assertThat(versions(pbA, r1)).as("_version of %s: create, update, then the deleted record", r1)
                    .startsWith(1L, 2L).hasSize(3).isSorted();
            assertThat(pbA.get(1).record()).containsEntry("title", "one").containsEntry("collectionName", c);

            List<Event> pbB = pocketBase(b.until(e -> isDelete(e, one, r0), WAIT));
            assertThat(pbB).extracting(Event::name, Event::action, Event::recordId).containsExactly(
                    tuple(one, "update", r0), tuple(one, "update", r0), tuple(one, "delete", r0));

            List<Event> pbBoth = pocketBase(both.until(e -> isDelete(e, all, r1), WAIT));
            assertThat(pbBoth.stream().filter(e -> e.name().equals(all)).map(e -> e.action() + " " + e.recordId()))
                    .containsExactlyElementsOf(pbA.stream().map(e -> e.action() + " " + e.recordId()).toList());
            assertThat(pbBoth.stream().filter(e -> e.name().equals(one)).map(e -> e.action() + " " + e.recordId()))
                    .containsExactly("update " + r0, "update " + r0, "delete " + r0);
            assertThat(pbBoth).hasSize(9);
        }
    }

    /** An empty list unsubscribes from everything; a new list replaces the old one instead of adding to it. */
    @Test
    void emptyListUnsubscribesAndAListReplacesThePreviousOne() {
        String c1 = Fixture.publicCollection(server, "unsub");
        String c2 = Fixture.publicCollection(server, "unsub");
        try (SseClient s = open("")) {
            s.subscribeOk(null, c1 + "/*");
            String first = create(server, c1, "{'title':'seen'}");
            assertThat(pocketBase(s.untilRecord(first, WAIT))).extracting(Event::recordId).containsExactly(first);

            s.subscribeOk(null);
            create(server, c1, "{'title':'after unsubscribe'}");
            s.subscribeOk(null, c2 + "/*");
            String inC2 = create(server, c2, "{'title':'c2'}");
            assertThat(pocketBase(s.untilRecord(inC2, WAIT))).as("nothing of c1 after the empty list")
                    .extracting(Event::name, Event::recordId).containsExactly(tuple(c2 + "/*", inC2));

            s.subscribeOk(null, c1 + "/*");
            create(server, c2, "{'title':'c2 after replace'}");
            String back = create(server, c1, "{'title':'c1 again'}");
            assertThat(pocketBase(s.untilRecord(back, WAIT))).as("c2 was replaced by c1")
                    .extracting(Event::name, Event::recordId).containsExactly(tuple(c1 + "/*", back));
        }
    }

    /**
     * The PocketBase SDK re-sends its whole topic list whenever it adds or removes one: a topic present before and
     * after such a request keeps receiving every event, also while requests and writes interleave (the list
     * alternates between {@code coll/*} alone and {@code coll/*} with 301 more topics).
     */
    @Test
    void resubscribingKeepsAnUnchangedTopicLossless() throws Exception {
        String c = Fixture.publicCollection(server, "resub");
        String other = Fixture.publicCollection(server, "resub");
        try (SseClient s = open("")) {
            s.subscribeOk(null, c + "/*");
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<String> more = new java.util.ArrayList<>(List.of(c + "/*", other + "/*"));
            for (int i = 0; i < 300; i++) more.add(c + "/norecord" + i);
            Thread resubscriber = Thread.ofVirtual().start(() -> {
                for (int i = 0; writing.get(); i++) {
                    Fixture.expect(204, s.subscribe(null, i % 2 == 0 ? more : List.of(c + "/*")));
                }
            });
            List<String> written = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) written.add(create(server, c, "{'title':'r" + i + "'}"));
            } finally {
                writing.set(false);
                resubscriber.join(10_000);
            }
            List<String> got = pocketBase(s.untilRecord(written.getLast(), WAIT)).stream().map(Event::recordId).toList();
            List<String> lost = written.stream().filter(id -> !got.contains(id)).toList();
            assertThat(lost).as("lost %d of %d creates to %s/* while the same topic was re-subscribed", lost.size(),
                    written.size(), c).isEmpty();
            assertThat(got).containsExactlyElementsOf(written);
        }
    }

    /**
     * Unknown or missing client id → 404; malformed topics, non-string topics, a non-list and unknown collections
     * → 400; and a refused request leaves the client's previous subscriptions exactly as they were.
     */
    @Test
    void badSubscriptionRequestsAreRefusedAndChangeNothing() {
        String c = Fixture.publicCollection(server, "bad");
        String other = Fixture.publicCollection(server, "bad");
        assertThat(SseClient.post(http, server.baseUrl(), null, "{'clientId':'nope','subscriptions':[]}".replace('\'', '"')).statusCode())
                .isEqualTo(404);
        assertThat(SseClient.post(http, server.baseUrl(), null, "{\"subscriptions\":[]}").statusCode()).isEqualTo(404);
        try (SseClient s = open("")) {
            s.subscribeOk(null, other + "/*");
            for (String topic : List.of(c, c + "/", "/x", c + "/a/b", "", "*", c + "/*?options=%7Bnot-json")) {
                HttpResponse<String> r = s.subscribe(null, List.of(topic));
                assertThat(r.statusCode()).as("topic '%s': %s", topic, r.body()).isEqualTo(400);
            }
            assertThat(s.subscribe(null, List.of(42)).statusCode()).as("a number as a topic").isEqualTo(400);
            assertThat(s.subscribe(null, Arrays.asList(c + "/*", null)).statusCode()).as("null as a topic").isEqualTo(400);
            HttpResponse<String> unknown = s.subscribe(null, List.of(c + "/*", "nosuchcollection/*"));
            assertThat(unknown.statusCode()).as("unknown collection: %s", unknown.body()).isEqualTo(400);
            HttpResponse<String> notList = SseClient.post(http, server.baseUrl(), null,
                    "{\"clientId\":\"" + s.clientId() + "\",\"subscriptions\":\"" + c + "/*\"}");
            assertThat(notList.statusCode()).as("subscriptions as a string").isEqualTo(400);

            create(server, c, "{'title':'must not arrive'}");
            String marker = create(server, other, "{'title':'marker'}");
            assertThat(pocketBase(s.untilRecord(marker, WAIT))).as("still subscribed to exactly %s/*", other)
                    .extracting(Event::name, Event::recordId).containsExactly(tuple(other + "/*", marker));
        }
        try (SseClient gone = open("")) {
            String id = gone.clientId();
            gone.close();
            Fixture.await("the id of a closed stream is unknown (404)", () -> SseClient.post(http, server.baseUrl(), null,
                    "{\"clientId\":\"" + id + "\",\"subscriptions\":[]}").statusCode() == 404, WAIT);
        }
    }

    /**
     * Only committed writes produce events: a unique violation, a validation error, a version conflict and a
     * refused create rule send nothing, while the successful writes around them arrive in order.
     */
    @Test
    void failedWritesProduceNoEvents() {
        String c = Fixture.collection(server, Fixture.name("failed"), "[{'name':'slug','type':'text','unique':true},"
                + "{'name':'views','type':'number'}]", "", "@request.auth.id != ''");
        try (SseClient s = open("")) {
            s.subscribeOk(null, c + "/*");
            String ok = create(server, c, "{'slug':'a','views':1}");
            assertThat(server.post(Fixture.records(c), Fixture.q("{'slug':'a'}")).statusCode()).as("unique").isEqualTo(409);
            assertThat(server.post(Fixture.records(c), Fixture.q("{'views':'many'}")).statusCode()).as("type").isEqualTo(400);
            assertThat(server.patch(Fixture.records(c) + "/" + ok, Fixture.q("{'views':2,'_expectedVersion':7}")).statusCode())
                    .as("version conflict").isEqualTo(409);
            assertThat(server.send("POST", Fixture.records(c), Fixture.q("{'slug':'anon'}")).statusCode())
                    .as("create rule").isEqualTo(400);
            String marker = create(server, c, "{'slug':'b'}");
            assertThat(pocketBase(s.untilRecord(marker, WAIT))).extracting(Event::action, Event::recordId)
                    .containsExactly(tuple("create", ok), tuple("create", marker));
            assertThat(s.events().getLast().record()).containsEntry("_version", 1L);
        }
    }

    /**
     * {@code ?collections=a,b&token=JWT}: {@code message} events {collection, action, data} for the named
     * collections only, and within them only the records the token's user may view.
     */
    @Test
    void seedStreamWithCollectionsReceivesMessages() {
        String pub = Fixture.publicCollection(server, "seedpub");
        String own = Fixture.ownerCollection(server, "seedown");
        String unnamed = Fixture.publicCollection(server, "seedother");
        Fixture.User aliceUser = Fixture.user(server, "alice");
        Fixture.User bobUser = Fixture.user(server, "bob");
        String alice = aliceUser.id();
        String bob = bobUser.id();
        String aliceToken = aliceUser.token();
        String bobToken = bobUser.token();
        try (SseClient s = open("?collections=" + pub + "," + own + "&token=" + aliceToken)) {
            String p = create(server, pub, "{'title':'public'}");
            createAs(server, bobToken, own, "{'title':'bob private','owner_id':'" + bob + "'}");
            String a = createAs(server, aliceToken, own, "{'title':'alice private','owner_id':'" + alice + "'}");
            create(server, unnamed, "{'title':'not named'}");
            update(server, pub, p, "{'views':5}");
            delete(server, pub, p);
            String marker = create(server, pub, "{'title':'marker'}");

            List<Event> got = pocketBase(s.untilRecord(marker, WAIT));
            assertThat(got).extracting(Event::name).containsOnly("message");
            assertThat(got).extracting(e -> e.json().get("collection"), Event::action, Event::recordId).containsExactly(
                    tuple(pub, "create", p), tuple(own, "create", a), tuple(pub, "update", p), tuple(pub, "delete", p),
                    tuple(pub, "create", marker));
            assertThat(got.get(1).record()).containsEntry("title", "alice private").containsEntry("owner_id", alice);
            assertThat(got.get(2).record()).containsEntry("views", 5L);
        }
        assertThat(server.send("GET", "/api/realtime?collections=bad%20name!", null).statusCode()).isEqualTo(400);
    }

    /**
     * A stream without {@code collections} gets {@code message} events for every record its identity may view, in
     * every collection, until a PocketBase subscription switches it to PocketBase topics only.
     */
    @Test
    void seedStreamWithoutCollectionsReceivesEveryViewableRecordUntilAPocketBaseSubscription() {
        String pub = Fixture.publicCollection(server, "allpub");
        String pub2 = Fixture.publicCollection(server, "allpub");
        String own = Fixture.ownerCollection(server, "allown");
        String locked = Fixture.collection(server, Fixture.name("locked"), Fixture.FIELDS, null, null);
        Fixture.User aliceUser = Fixture.user(server, "alice");
        String alice = aliceUser.id();
        String bob = Fixture.user(server, "bob").id();
        String aliceToken = aliceUser.token();
        try (SseClient s = open("?token=" + aliceToken); SseClient anon = open("")) {
            String p = create(server, pub, "{'title':'p'}");
            String p2 = create(server, pub2, "{'title':'p2'}");
            create(server, own, "{'title':'bob','owner_id':'" + bob + "'}");
            String a = create(server, own, "{'title':'alice','owner_id':'" + alice + "'}");
            create(server, locked, "{'title':'superusers only'}");
            String marker = create(server, pub, "{'title':'marker'}");
            assertThat(pocketBase(s.untilRecord(marker, WAIT))).extracting(e -> e.json().get("collection"), Event::recordId)
                    .containsExactly(tuple(pub, p), tuple(pub2, p2), tuple(own, a), tuple(pub, marker));
            assertThat(pocketBase(anon.untilRecord(marker, WAIT))).as("anonymous: public records only")
                    .extracting(Event::recordId).containsExactly(p, p2, marker);

            s.subscribeOk(aliceToken, pub + "/*");
            create(server, pub2, "{'title':'no longer a message'}");
            create(server, own, "{'title':'alice again','owner_id':'" + alice + "'}");
            String after = create(server, pub, "{'title':'pocketbase'}");
            assertThat(pocketBase(s.untilRecord(after, WAIT))).extracting(Event::name, Event::action, Event::recordId)
                    .containsExactly(tuple(pub + "/*", "create", after));
        }
    }


    /** The events that are not the handshake (PocketBase topics or seed {@code message}s). */
    private static List<Event> pocketBase(List<Event> events) {
        return SseClient.changes(events);
    }

    private static List<Long> versions(List<Event> events, String id) {
        return events.stream().filter(e -> id.equals(e.recordId()))
                .map(e -> ((Number) e.record().get("_version")).longValue()).toList();
    }

    private static boolean isDelete(Event e, String topic, String id) {
        return e.name().equals(topic) && "delete".equals(e.action()) && id.equals(e.recordId());
    }
}
