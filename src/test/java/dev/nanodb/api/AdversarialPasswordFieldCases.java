package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.ORACLES;
import static dev.nanodb.api.Attack.REALTIME;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.pb;
import static dev.nanodb.api.AdversarialSession.filtered;
import static dev.nanodb.api.AdversarialSession.idsUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code password} field on a public base collection ({@code lockers}: everyone lists, views, creates and updates;
 * {@code pin} is a password field, {@code peer} a relation to another locker). Its bcrypt hash ({@code $2…}, one of
 * the world's leak markers) must reach nobody — anonymous, a user, the superuser — in a list, a view, {@code fields=},
 * an expansion, a batch answer or a realtime event; and a filter or sort naming it is the same 400 whatever the hash
 * holds, so no probe learns a character of it.
 */
final class AdversarialPasswordFieldCases {
    private AdversarialPasswordFieldCases() {}

    private static final String LOCKERS = "/api/collections/lockers/records";
    private static final Attack.Who SUPERUSER = w -> w.server.superuserToken();

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(attack(RULES, "a password field's hash in lists, views, fields= and expand, for everyone", 200, s -> {
            for (Attack.Who who : List.of(ANON, BOB, SUPERUSER)) {
                s.list(who, "lockers", "expand", "peer", "fields", "*,pin,expand.peer.pin");
                s.send(who, "GET", LOCKERS + "/{locker}", null);
                s.send(who, "GET", LOCKERS + "/{lockerPeer}?expand=peer&fields=pin,expand.peer.pin,expand.peer.title", null);
                s.send(who, "GET", LOCKERS + "/{locker}?expand=lockers_via_peer", null);
            }
        }).given(AdversarialPasswordFieldCases::lockers).then(s -> assertThat(s.first().body()).contains("\"title\":\"locker\"")));
        c.add(attack(ORACLES, "a filter on a password field answers the same for a right and a wrong hash prefix", 400,
                s -> s.pair("$2b$0", "nothing", prefix -> s.list(BOB, "lockers", "filter", "pin ~ '" + prefix + "%'")))
                .given(AdversarialPasswordFieldCases::lockers));
        c.add(attack(ORACLES, "nor for a superuser: a filter, a sort, a relation path, a back-relation, an @collection join", 400, s -> {
            s.list(SUPERUSER, "lockers", "filter", "pin != ''");
            s.list(SUPERUSER, "lockers", "sort", "-pin");
            s.list(SUPERUSER, "lockers", "filter", "peer.pin ~ '$2b%'");
            s.list(SUPERUSER, "lockers", "filter", "lockers_via_peer.pin != ''");
            s.list(SUPERUSER, "posts", "filter", "@collection.lockers.pin ~ '$2b%'");
            s.list(SUPERUSER, "posts", "filter", "@collection.users.password ~ '$2b%' && @collection.users.id = owner_id");
            s.list(SUPERUSER, "notes", "filter", "owner_id = @collection.users.tokenKey");
        }).given(AdversarialPasswordFieldCases::lockers).then(s -> {
            for (int i = 0; i < 7; i++) assertThat(s.answer(i).status()).as(AdversarialTest.describe(s.answer(i))).isEqualTo(400);
        }));
        c.add(attack(RULES, "a batch that writes a password field answers no hash", 200,
                s -> s.send(BOB, "POST", "/api/batch", BatchOps.requests(
                        Attack.pbOp("POST", LOCKERS, "{'title':'bob locker','pin':'bobs-pin-1'}"),
                        Attack.pbOp("PATCH", LOCKERS + "/{locker}", "{'pin':'changed-by-bob'}"))))
                .given(AdversarialPasswordFieldCases::lockers).changes("bob writes lockers, as their rules allow"));
        c.add(attack(REALTIME, "realtime events of a record with a password field carry no hash, even fields=pin", 204, s -> {
            SseClient anon = s.stream("", ANON);
            s.subscribe(anon, ANON, "lockers/*", filtered("lockers/{locker}", "fields", "id,pin"));
            SseClient root = s.stream("", SUPERUSER);
            s.subscribe(root, SUPERUSER, "lockers/*");
            s.admin("PATCH", LOCKERS + "/{locker}", "{'pin':'new-pin-99'}");
            String created = AdversarialWorld.id(s.admin("POST", LOCKERS, "{'title':'marker locker','pin':'marker-pin'}"));
            assertThat(idsUntil(anon, created)).endsWith(created);
            assertThat(idsUntil(root, created)).endsWith(created);
        }).given(AdversarialPasswordFieldCases::lockers).changes("the superuser writes lockers"));
        c.add(attack(REALTIME, "a realtime filter on a password field is refused", 400, s -> {
            SseClient anon = s.stream("", ANON);
            s.subscribe(anon, ANON, filtered("lockers/*", "filter", "pin ~ '$2b%'"));
        }).given(AdversarialPasswordFieldCases::lockers));
        c.add(attack(RULES, "a plain password sent as a filter or a sort through a relation path", 400,
                s -> s.send(ANON, "GET", "/api/collections/lockers/records?sort=peer.pin", null))
                .given(AdversarialPasswordFieldCases::lockers));
        return c;
    }

    /**
     * {@code lockers} (once per world): {@code {locker}} holds a pin, {@code {lockerPeer}} points at it.
     */
    private static void lockers(AdversarialWorld w) {
        if (w.server.store().collection("lockers").isPresent()) return;
        var made = w.server.post("/api/collections", AdversarialWorld.q("{'name':'lockers','fields':[{'name':'title','type':'text'},"
                + "{'name':'pin','type':'password','min':4},{'name':'peer','type':'relation','collectionId':'lockers'}],"
                + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':null}"));
        if (made.statusCode() != 200) throw new AssertionError("lockers: " + made.body());
        w.ids.put("locker", w.adminCreate("lockers", "{'title':'locker','pin':'ZQX-PIN-1'}"));
        w.ids.put("lockerPeer", w.adminCreate("lockers", "{'title':'peer','pin':'ZQX-PIN-2','peer':'{locker}'}"));
    }
}
