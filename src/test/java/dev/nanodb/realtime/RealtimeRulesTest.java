package dev.nanodb.realtime;

import static dev.nanodb.realtime.Fixture.WAIT;
import static dev.nanodb.realtime.Fixture.create;
import static dev.nanodb.realtime.Fixture.createAs;
import static dev.nanodb.realtime.Fixture.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanodb.realtime.SseClient.Event;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who receives what: the collection's rules decide per client and event (owner rule with two users writing at
 * once), a revoked identity (password change, deleted user) stops private events within a second, hidden fields
 * never leave the server, and a subscription's {@code fields} and {@code filter} options are honoured while a
 * filter that would be an oracle is refused at subscribe time.
 *
 * <p>"Never receives X" is proved without sleeping: one client's events arrive in commit order, so once a marker
 * written after X has arrived, X would have arrived before it.
 */
@Timeout(60)
class RealtimeRulesTest extends RealtimeTestSupport {
    private static final String SECRET = "TOPSECRET-REALTIME-42";

    /**
     * Owner rule on list and view, two users writing concurrently: each one's {@code coll/*} stream receives
     * exactly its own records in its own order, never the other's, not even through a {@code coll/ID} topic
     * naming the other's record; an anonymous subscriber receives none of them.
     */
    @Test
    void ownerRuleDeliversEachUserOnlyItsOwnRecords() throws Exception {
        String c = Fixture.ownerCollection(server, "owned");
        String pub = Fixture.publicCollection(server, "ownedpub");
        Fixture.User alice = Fixture.user(server, "alice");
        Fixture.User bob = Fixture.user(server, "bob");
        String a0 = createAs(server, alice.token(), c, "{'title':'a0','owner_id':'" + alice.id() + "'}");
        try (SseClient as = open(""); SseClient bs = open(""); SseClient anon = open("")) {
            as.subscribeOk(alice.token(), c + "/*");
            bs.subscribeOk(bob.token(), c + "/*", c + "/" + a0);
            anon.subscribeOk(null, c + "/*", c + "/" + a0, pub + "/*");

            List<String> aliceIds = new ArrayList<>();
            List<String> bobIds = new ArrayList<>();
            try (var writers = Executors.newVirtualThreadPerTaskExecutor()) {
                CompletableFuture<Void> wa = CompletableFuture.runAsync(() -> write(alice, c, aliceIds, true, a0), writers);
                CompletableFuture<Void> wb = CompletableFuture.runAsync(() -> write(bob, c, bobIds, false, null), writers);
                CompletableFuture.allOf(wa, wb).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            String aEnd = createAs(server, alice.token(), c, "{'title':'a end','owner_id':'" + alice.id() + "'}");
            String bEnd = createAs(server, bob.token(), c, "{'title':'b end','owner_id':'" + bob.id() + "'}");
            String pubEnd = create(server, pub, "{'title':'public end'}");

            List<Event> gotA = changes(as.untilRecord(aEnd, WAIT));
            assertThat(gotA).extracting(Event::name).containsOnly(c + "/*");
            assertThat(gotA).extracting(Event::recordId).as("alice: her records and updates, in her order")
                    .containsExactlyElementsOf(concat(aliceIds, aEnd));
            assertThat(gotA).allSatisfy(e -> assertThat(e.record()).containsEntry("owner_id", alice.id()));

            List<Event> gotB = changes(bs.untilRecord(bEnd, WAIT));
            assertThat(gotB).extracting(Event::recordId).as("bob: his records only, nothing through %s/%s", c, a0)
                    .containsExactlyElementsOf(concat(bobIds, bEnd));
            assertThat(gotB).extracting(Event::name).containsOnly(c + "/*");

            assertThat(changes(anon.untilRecord(pubEnd, WAIT))).as("anonymous: no owned record")
                    .extracting(Event::recordId).containsExactly(pubEnd);
        }
    }

    /** 20 creates by one user (alice also updates {@code a0} between them); the ids in commit order go to {@code ids}. */
    private static void write(Fixture.User u, String c, List<String> ids, boolean touchA0, String a0) {
        for (int i = 0; i < 20; i++) {
            ids.add(createAs(server, u.token(), c, "{'title':'n" + i + "','owner_id':'" + u.id() + "'}"));
            if (touchA0 && i % 5 == 0) {
                Fixture.expect(200, server.send("PATCH", Fixture.records(c) + "/" + a0, Fixture.q("{'views':" + i + "}"),
                        "Authorization", u.token()));
                ids.add(a0);
            }
        }
    }

    /**
     * After the user changes its password, its stream continues as anonymous: within a second owner-rule events
     * stop (and never come back) while public events keep arriving.
     */
    @Test
    void passwordChangeStopsPrivateEventsWithinASecond() {
        String own = Fixture.ownerCollection(server, "pwown");
        String pub = Fixture.publicCollection(server, "pwpub");
        Fixture.User alice = Fixture.user(server, "alice");
        try (SseClient s = open("")) {
            s.subscribeOk(alice.token(), own + "/*", pub + "/*");
            String before = create(server, own, "{'title':'before','owner_id':'" + alice.id() + "'}");
            assertThat(changes(s.untilRecord(before, WAIT))).as("control: private events arrive while logged in")
                    .extracting(Event::recordId).containsExactly(before);
            Fixture.expect(200, server.send("PATCH", "/api/collections/users/records/" + alice.id(),
                    Fixture.q("{'oldPassword':'password123','password':'newpassword456','passwordConfirm':'newpassword456'}"),
                    "Authorization", alice.token()));
            assertPrivateStopsWithinASecond(s, own, pub, alice.id());
        }
    }

    /** As for a password change, when the password is reset through {@code confirm-password-reset}. */
    @Test
    void passwordResetStopsPrivateEventsWithinASecond() {
        String own = Fixture.ownerCollection(server, "rsown");
        String pub = Fixture.publicCollection(server, "rspub");
        Fixture.User alice = Fixture.user(server, "alice");
        try (SseClient s = open("")) {
            s.subscribeOk(alice.token(), own + "/*", pub + "/*");
            String before = create(server, own, "{'title':'before','owner_id':'" + alice.id() + "'}");
            assertThat(changes(s.untilRecord(before, WAIT))).extracting(Event::recordId).containsExactly(before);
            String reset = dev.nanodb.testing.FlowTokens.reset(server, alice.id());
            Fixture.expect(204, server.send("POST", "/api/collections/users/confirm-password-reset",
                    Fixture.q("{'token':'" + reset + "','password':'newpassword456','passwordConfirm':'newpassword456'}")));
            assertPrivateStopsWithinASecond(s, own, pub, alice.id());
        }
    }

    /** As for a password change, when the user is deleted. */
    @Test
    void deletedUserStopsPrivateEventsWithinASecond() {
        String own = Fixture.ownerCollection(server, "delown");
        String pub = Fixture.publicCollection(server, "delpub");
        Fixture.User alice = Fixture.user(server, "alice");
        try (SseClient s = open("?token=" + alice.token()); SseClient pb = open("")) {
            pb.subscribeOk(alice.token(), own + "/*", pub + "/*");
            String before = create(server, own, "{'title':'before','owner_id':'" + alice.id() + "'}");
            assertThat(changes(pb.untilRecord(before, WAIT))).extracting(Event::recordId).containsExactly(before);
            assertThat(changes(s.untilRecord(before, WAIT))).extracting(Event::recordId).containsExactly(before);
            Fixture.delete(server, "users", alice.id());
            assertPrivateStopsWithinASecond(pb, own, pub, alice.id());
            assertPrivateStopsWithinASecond(s, own, pub, alice.id());
        }
    }

    /**
     * A subscription request authenticated just before a password change must not give the stream back the revoked
     * identity: the user re-subscribes in a loop (each request with many filtered topics, so it spends a while
     * between authentication and taking effect) while the password changes; afterwards no private event may
     * arrive. Twenty attempts, each one a fresh user and stream.
     */
    @Test
    void aSubscriptionRacingAPasswordChangeCannotRestoreTheRevokedIdentity() throws Exception {
        String own = Fixture.ownerCollection(server, "raceown");
        String pub = Fixture.publicCollection(server, "racepub");
        List<String> topics = new ArrayList<>(List.of(own + "/*", pub + "/*"));
        for (int i = 0; i < 300; i++) {
            topics.add(Fixture.withOptions(pub + "/*", Map.of("filter", "views > " + i + " && title != 'x" + i + "'")));
        }
        for (int attempt = 1; attempt <= 20; attempt++) {
            Fixture.User u = Fixture.user(server, "racer");
            try (SseClient s = open("")) {
                s.subscribeOk(u.token(), own + "/*", pub + "/*");
                Thread resubscriber = Thread.ofVirtual().start(() -> {
                    while (s.subscribe(u.token(), topics).statusCode() == 204) {
                        Thread.onSpinWait();
                    }
                });
                Thread.sleep(5);
                Fixture.expect(200, server.send("PATCH", "/api/collections/users/records/" + u.id(),
                        Fixture.q("{'oldPassword':'password123','password':'newpassword456','passwordConfirm':'newpassword456'}"),
                        "Authorization", u.token()));
                resubscriber.join(10_000);
                assertThat(resubscriber.isAlive()).as("the old token is refused after the change").isFalse();
                String secret = create(server, own, "{'title':'private','owner_id':'" + u.id() + "'}");
                String marker = create(server, pub, "{'title':'public'}");
                List<Event> got = changes(s.untilRecord(marker, WAIT));
                assertThat(got).as("attempt %d: a private event after the password change (stale identity)", attempt)
                        .filteredOn(e -> e.name().equals(own + "/*")).extracting(Event::recordId).doesNotContain(secret);
            }
        }
    }

    /**
     * Writes a private record then a public marker, round after round, until a round's private record no longer
     * arrives before its marker; fails if that takes more than a second, or if a later private record arrives.
     */
    private static void assertPrivateStopsWithinASecond(SseClient s, String own, String pub, String ownerId) {
        long start = System.nanoTime();
        int rounds = 0;
        while (true) {
            rounds++;
            String secret = create(server, own, "{'title':'private','owner_id':'" + ownerId + "'}");
            String marker = create(server, pub, "{'title':'public'}");
            List<Event> got = changes(s.untilRecord(marker, WAIT));
            assertThat(got).as("the public event still arrives").extracting(Event::recordId).endsWith(marker);
            boolean leaked = got.stream().anyMatch(e -> secret.equals(e.recordId()));
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!leaked) break;
            assertThat(ms).as("private events still arrive %d ms after the revocation (%d rounds)", ms, rounds).isLessThan(1000);
        }
        for (int i = 0; i < 3; i++) {
            String secret = create(server, own, "{'title':'private later','owner_id':'" + ownerId + "'}");
            String marker = create(server, pub, "{'title':'public later'}");
            assertThat(changes(s.untilRecord(marker, WAIT))).as("no private event after the revocation took effect")
                    .extracting(Event::recordId).doesNotContain(secret).endsWith(marker);
        }
    }

    /**
     * Hidden fields are absent from every protocol and topic kind, also for a superuser's stream and a filter on
     * the hidden field; an auth record's password hash and token key never appear.
     */
    @Test
    void hiddenFieldsNeverAppearInEvents() {
        String c = Fixture.publicCollection(server, "hidden");
        Fixture.User alice = Fixture.user(server, "alice");
        String first = create(server, c, "{'title':'x','secret':'" + SECRET + "'}");
        String superFilter = Fixture.withOptions(c + "/*", Map.of("filter", "secret = '" + SECRET + "'"));
        try (SseClient all = open(""); SseClient one = open(""); SseClient seed = open("?collections=" + c);
             SseClient seedAll = open("?token=" + alice.token()); SseClient su = open("")) {
            all.subscribeOk(null, c + "/*");
            one.subscribeOk(null, c + "/" + first);
            su.subscribeOk(server.superuserToken(), superFilter, "users/*");
            update(server, c, first, "{'title':'y','secret':'" + SECRET + "-2'}");
            String second = create(server, c, "{'title':'z','secret':'" + SECRET + "'}");
            update(server, "users", alice.id(), "{'verified':true}");
            Fixture.delete(server, c, first);
            String end = create(server, c, "{'title':'end'}");

            List<Event> events = new ArrayList<>();
            events.addAll(changes(all.untilRecord(end, WAIT)));
            events.addAll(changes(one.until(e -> "delete".equals(e.action()), WAIT)));
            events.addAll(changes(seed.untilRecord(end, WAIT)));
            List<Event> fromSeedAll = changes(seedAll.untilRecord(end, WAIT));
            events.addAll(fromSeedAll);
            List<Event> fromSu = changes(su.untilRecord(alice.id(), WAIT));
            events.addAll(fromSu);
            assertThat(fromSeedAll).as("alice's own user record").extracting(Event::recordId).contains(alice.id());
            assertThat(fromSu).as("the superuser's filter on the hidden field matches")
                    .extracting(Event::recordId).containsExactly(second, alice.id());
            assertThat(events).hasSizeGreaterThanOrEqualTo(14).allSatisfy(e -> {
                assertThat(e.data()).doesNotContain(SECRET, "\"secret\"", "tokenKey", "password", "$2a$", "$2b$");
                assertThat(e.record()).doesNotContainKeys("secret", "password", "tokenKey");
            });
        }
    }

    /** {@code fields} shapes the record of that subscription only; the event name is the topic exactly as sent. */
    @Test
    void fieldsOptionIsHonoured() {
        String c = Fixture.publicCollection(server, "fields");
        String narrow = Fixture.withOptions(c + "/*", Map.of("fields", "id,title"));
        try (SseClient s = open("")) {
            s.subscribeOk(null, narrow, c + "/*");
            String id = create(server, c, "{'title':'t','views':7,'owner_id':'x'}");
            List<Event> got = concat(changes(s.untilRecord(id, WAIT)), s.next(WAIT));
            assertThat(got).as("one event per subscription").extracting(Event::name).containsExactlyInAnyOrder(narrow, c + "/*");
            Event shaped = got.stream().filter(e -> e.name().equals(narrow)).findFirst().orElseThrow();
            Event full = got.stream().filter(e -> e.name().equals(c + "/*")).findFirst().orElseThrow();
            assertThat(shaped.record()).containsOnlyKeys("id", "title").containsEntry("id", id).containsEntry("title", "t");
            assertThat(full.record()).containsKeys("id", "title", "views", "owner_id", "_version", "collectionName");
        }
    }

    /**
     * A subscription's {@code filter} selects which changes arrive (checked on the record as written, together with
     * the rule); a user's filter naming {@code @request} is 403, naming a hidden or unknown field or with a syntax
     * error 400.
     */
    @Test
    void filterOptionIsHonouredAndOraclesAreRefused() {
        String c = Fixture.publicCollection(server, "filter");
        String own = Fixture.ownerCollection(server, "filterown");
        Fixture.User alice = Fixture.user(server, "alice");
        String big = Fixture.withOptions(c + "/*", Map.of("filter", "views > 10"));
        String ownBig = Fixture.withOptions(own + "/*", Map.of("filter", "views > 10"));
        try (SseClient s = open("")) {
            s.subscribeOk(alice.token(), big, ownBig);
            create(server, c, "{'title':'small','views':5}");
            String b20 = create(server, c, "{'title':'big','views':20}");
            update(server, c, b20, "{'views':3}");
            create(server, own, "{'title':'alice small','views':1,'owner_id':'" + alice.id() + "'}");
            create(server, own, "{'title':'other big','views':50,'owner_id':'someone'}");
            String ob = create(server, own, "{'title':'alice big','views':60,'owner_id':'" + alice.id() + "'}");
            String b30 = create(server, c, "{'title':'bigger','views':30}");
            Fixture.delete(server, c, b30);
            assertThat(changes(s.until(e -> "delete".equals(e.action()), WAIT)))
                    .extracting(Event::name, Event::action, Event::recordId).containsExactly(
                            tuple(big, "create", b20), tuple(ownBig, "create", ob), tuple(big, "create", b30),
                            tuple(big, "delete", b30));

            for (String[] bad : new String[][] {{"@request.auth.id != ''", "403"}, {"secret = 'x'", "400"},
                    {"nosuchfield = 1", "400"}, {"views >", "400"}}) {
                HttpResponse<String> r = s.subscribe(alice.token(), List.of(Fixture.withOptions(c + "/*", Map.of("filter", bad[0]))));
                assertThat(r.statusCode()).as("filter %s: %s", bad[0], r.body()).isEqualTo(Integer.parseInt(bad[1]));
            }
        }
    }

    private static List<Event> changes(List<Event> events) {
        return SseClient.changes(events);
    }

    private static <T> List<T> concat(List<T> a, T last) {
        List<T> out = new ArrayList<>(a);
        out.add(last);
        return out;
    }

}
