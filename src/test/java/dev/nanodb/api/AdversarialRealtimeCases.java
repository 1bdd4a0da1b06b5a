package dev.nanodb.api;

import static dev.nanodb.api.AdversarialSession.filtered;
import static dev.nanodb.api.AdversarialSession.idsUntil;
import static dev.nanodb.api.Attack.ALICE;
import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.REALTIME;
import static dev.nanodb.api.Attack.attack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Values;
import dev.nanodb.realtime.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Realtime in both protocols. Events are pushed, not asked for, so a rule that holds on every route can still
 * leak through the change feed: each attack subscribes where the attacker may not list or view, the superuser
 * then writes hidden records and one record the attacker may see (the marker), and the attacker's stream must
 * hold exactly the marker — events keep commit order per client, so nothing hidden can arrive after it unseen.
 * Also: subscription filters that would be oracles (hidden fields, {@code @request.*}) or too costly, streams
 * taken over with another account's token, forged stream tokens, and the per-client and per-IP limits.
 */
final class AdversarialRealtimeCases {
    private AdversarialRealtimeCases() {}

    private static final String WORST = "%" + "a".repeat(Values.MAX_PATTERN - 3) + "b%";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(onlyTheMarker("PocketBase: an anonymous notes/* gets no note", ANON, s -> aliceNote(s), "notes/*", "posts/*"));
        c.add(onlyTheMarker("PocketBase: bob's topic for alice's note gets none of its updates", BOB, s -> {
            s.admin("PATCH", "/api/collections/notes/records/{aliceNote}", "{'title':'ZQX-ALICE-NOTE-2'}");
            s.admin("POST", "/api/collections/drafts/records", "{'title':'ZQX-D','secret':'ZQX-DS','owner_id':'{alice}'}");
        }, "notes/{aliceNote}", "drafts/*", "posts/*"));
        c.add(onlyTheMarker("PocketBase: a topic of a superusers-only record, anonymous", ANON,
                s -> s.admin("PATCH", "/api/collections/vault/records/{vault}", "{'title':'ZQX-VAULT-2'}"),
                "vault/{vault}", "vault/*", "posts/*"));
        c.add(attack(REALTIME, "PocketBase: users/* shows bob his own account only", 204, s -> {
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, "users/*");
            s.admin("PATCH", "/api/collections/users/records/{alice}", "{'verified':true}");
            s.admin("PATCH", "/api/collections/users/records/{bob}", "{'verified':true}");
            assertThat(idsUntil(attacker, s.w.ids.get("bob"))).containsExactly(s.w.ids.get("bob"));
        }).changes("the superuser verifies both accounts"));
        c.add(onlyTheMarker("PocketBase: fields= asking for a hidden field in events", ANON, s -> { },
                filtered("posts/*", "fields", "id,title,secret")));
        c.add(attack(REALTIME, "PocketBase: a stream keeps nothing of an account whose password changed", 204, s -> {
            SseClient attacker = s.stream("", w -> w.ids.get("eveToken"));
            s.subscribe(attacker, w -> w.ids.get("eveToken"), "notes/*", "posts/*");
            s.admin("PATCH", "/api/collections/users/records/{eve}", "{'password':'password456','passwordConfirm':'password456'}");
            s.admin("POST", "/api/collections/notes/records", "{'title':'ZQX-EVE','secret':'ZQX-EVE-S','owner_id':'{eve}'}");
            String marker = marker(s);
            assertThat(idsUntil(attacker, marker)).as("revoked: anonymous from then on").containsExactly(marker);
        }).given(w -> {
            String[] eve = w.throwAwayUser("eve");
            w.ids.put("eve", eve[0]);
            w.ids.put("eveToken", eve[1]);
        }).changes("the superuser writes"));
        c.add(attack(REALTIME, "seed: an anonymous stream of the auth collections", 200, s -> {
            SseClient attacker = s.seedStream("?collections=_superusers,users,members,posts", ANON);
            s.admin("POST", "/api/collections/_superusers/records", "{'email':'zqx-root@example.com','password':'password123',"
                    + "'passwordConfirm':'password123'}");
            s.admin("PATCH", "/api/collections/members/records/{member}", "{'verified':true}");
            String marker = marker(s);
            assertThat(idsUntil(attacker, marker)).containsExactly(marker);
        }).changes("the superuser writes"));
        c.add(attack(REALTIME, "a subscription filter naming @collection", 403, s -> {
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, filtered("posts/*", "filter", "@collection.users.email ~ 'a'"));
        }));
        c.add(attack(REALTIME, "a subscription filter through a relation into the locked vault", 400, s -> {
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, filtered("links/*", "filter", "vaulted.title ~ 'Z'"));
        }));
        c.add(attack(REALTIME, "a subscription filter through a relation to a hidden field", 400, s -> {
            SseClient attacker = s.stream("", ANON);
            s.subscribe(attacker, ANON, filtered("links/*", "filter", "note.secret ~ 'Z'"));
        }));
        c.add(attack(REALTIME, "a subscription filter through a relation to an unknown field", 400, s -> {
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, filtered("links/*", "filter", "note.nosuch = 1"));
        }));
        c.add(attack(REALTIME, "a subscription filter on a hidden field", 400, s -> {
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, filtered("posts/*", "filter", "secret ~ 'Z'"));
        }));
        c.add(attack(REALTIME, "a subscription filter naming @request", 403, s -> {
            SseClient attacker = s.stream("", BOB);
            s.subscribe(attacker, BOB, filtered("notes/*", "filter", "owner_id = @request.auth.id || @request.auth.id != ''"));
        }));
        c.add(attack(REALTIME, "a subscription filter of 33 comparisons", 400, s -> {
            SseClient attacker = s.stream("", ANON);
            s.subscribe(attacker, ANON, filtered("posts/*", "filter",
                    IntStream.range(0, 33).mapToObj(i -> "title = 't" + i + "'").collect(Collectors.joining(" || "))));
        }).then(s -> assertThat(s.first().body()).contains("validation_filter_too_complex")));
        c.add(attack(REALTIME, "a subscription filter with a 513-character pattern", 400, s -> {
            SseClient attacker = s.stream("", ANON);
            s.subscribe(attacker, ANON, filtered("posts/*", "filter", "title ~ '" + "x".repeat(Values.MAX_PATTERN + 1) + "'"));
        }));
        c.add(attack(REALTIME, "take over alice's stream with bob's token", 403, s -> {
            SseClient victim = s.victimStream("?collections=notes&token=" + s.w.aliceToken, ANON);
            s.subscribe(victim, BOB, "notes/*", "posts/*");
            String note = aliceNote(s);
            assertThat(idsUntil(victim, note)).as("the stream keeps its owner and its topics").containsExactly(note);
        }).changes("the superuser writes").then(s -> assertThat(s.first().body()).contains("authorization don't match")));
        c.add(attack(REALTIME, "take over a stream alice claimed, anonymously", 403, s -> {
            SseClient victim = s.victimStream("", ANON);
            s.victimSubscribe(victim, ALICE, "notes/*");
            s.subscribe(victim, ANON, "posts/*");
            String note = aliceNote(s);
            assertThat(idsUntil(victim, note)).containsExactly(note);
        }).changes("the superuser writes").then(s -> assertThat(s.first().body()).contains("authorization don't match")));
        c.add(attack(REALTIME, "re-aim alice's stream at nothing with bob's token", 403, s -> {
            SseClient victim = s.victimStream("", ANON);
            s.victimSubscribe(victim, ALICE, "notes/*");
            s.subscribe(victim, BOB);
            String note = aliceNote(s);
            assertThat(idsUntil(victim, note)).containsExactly(note);
        }).changes("the superuser writes"));
        c.add(attack(REALTIME, "seed: bob's stream gets only what bob may view", 200, s -> {
            SseClient attacker = s.seedStream("?collections=notes,drafts,posts,vault,users&token=" + s.w.bobToken, ANON);
            aliceNote(s);
            s.admin("POST", "/api/collections/drafts/records", "{'title':'ZQX-D','secret':'ZQX-DS','owner_id':'{alice}'}");
            s.admin("PATCH", "/api/collections/vault/records/{vault}", "{'title':'ZQX-VAULT-3'}");
            s.admin("PATCH", "/api/collections/users/records/{alice}", "{'verified':false}");
            String own = AdversarialWorld.id(s.admin("POST", "/api/collections/notes/records",
                    "{'title':'bob again','secret':'ZQX-HIDDEN-OWN','owner_id':'{bob}'}"));
            String marker = marker(s);
            assertThat(idsUntil(attacker, marker)).containsExactly(own, marker);
        }).changes("the superuser writes"));
        c.add(attack(REALTIME, "seed: an anonymous stream of everything gets only public records", 200, s -> {
            SseClient attacker = s.seedStream("", ANON);
            aliceNote(s);
            s.admin("POST", "/api/collections/drafts/records", "{'title':'ZQX-D','secret':'ZQX-DS','owner_id':'{alice}'}");
            s.admin("POST", "/api/collections/users/records", "{'email':'zqx-new@example.com','password':'password123',"
                    + "'passwordConfirm':'password123'}");
            String marker = marker(s);
            assertThat(idsUntil(attacker, marker)).containsExactly(marker);
        }).changes("the superuser writes"));
        c.add(attack(REALTIME, "seed: a stream opened with a forged token", 401,
                s -> s.refusedStream("?collections=notes&token=" + AdversarialTokenCases.none(s.w, "alice"))));
        c.add(attack(REALTIME, "more subscriptions than REALTIME_SUBSCRIPTIONS", 400, s -> {
            SseClient attacker = s.stream("", ANON);
            s.subscribe(attacker, ANON, IntStream.range(0, 6).mapToObj(i -> "posts/aaaaaaaaaaaaaa" + i).toArray(String[]::new));
        }).env("REALTIME_SUBSCRIPTIONS", "5"));
        c.add(attack(REALTIME, "more streams from one address than REALTIME_STREAMS_PER_IP", 429, s -> {
            for (int i = 0; i < 3; i++) s.stream("", ANON);
            s.refusedStream("");
        }).env("REALTIME_STREAMS_PER_IP", "3"));
        return c;
    }

    /**
     * An attack whose stream must get nothing but the marker: {@code who} subscribes to {@code topics} (which
     * include {@code posts/*}, the marker's), the superuser makes {@code writes}, then posts the marker.
     */
    private static Attack onlyTheMarker(String name, Attack.Who who, Attack.Script writes, String... topics) {
        return attack(REALTIME, name, 204, s -> {
            SseClient attacker = s.stream("", who);
            s.subscribe(attacker, who, topics);
            writes.run(s);
            String marker = marker(s);
            assertThat(idsUntil(attacker, marker)).containsExactly(marker);
        }).changes("the superuser writes");
    }

    /** A new note of alice's, which nobody else may see; its id. */
    static String aliceNote(AdversarialSession s) {
        return AdversarialWorld.id(s.admin("POST", "/api/collections/notes/records",
                "{'title':'ZQX-RT-NOTE','secret':'ZQX-RT-SECRET','owner_id':'{alice}'}"));
    }

    /** A new public post (with a hidden field, which must not come along); its id. */
    static String marker(AdversarialSession s) {
        return AdversarialWorld.id(s.admin("POST", "/api/collections/posts/records", "{'title':'marker','secret':'ZQX-MARKER'}"));
    }

    static String worst() {
        return WORST;
    }
}
