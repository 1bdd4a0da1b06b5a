package dev.nanodb.api;

import static dev.nanodb.api.Attack.ALICE;
import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.TOKENS;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.pb;

import java.util.ArrayList;
import java.util.List;

/**
 * Write modifiers ({@code views+}, {@code views-}, {@code score+}) against rules, and invalid tokens answered as a
 * guest ({@code INVALID_TOKEN=guest}, the default). A modifier is a write like any other: the update rule judges it
 * against the stored record with the modifier resolved, so a rule guarding {@code @request.body.score} sees
 * {@code score+} too, and a caller who may not update a record moves no counter of it (also in a batch). A guest is the anonymous
 * caller: whatever a forged or expired token, the answer is byte for byte the one without a token.
 */
final class AdversarialModifierCases {
    private AdversarialModifierCases() {}

    private static final String COUNTER = "/api/collections/counters/records/{aliceCounter}";
    private static final String NOTE = "/api/collections/notes/records/{aliceNote}";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(attack(RULES, "views+ on a counter the caller may not update", 404,
                s -> s.send(BOB, "PATCH", COUNTER, "{'views+':1000}")).given(AdversarialModifierCases::counters));
        c.add(attack(RULES, "views- by an anonymous caller", 404,
                s -> s.send(ANON, "PATCH", COUNTER, "{'views-':1000}")).given(AdversarialModifierCases::counters));
        c.add(attack(RULES, "score+ past an update rule that guards @request.body.score", 404,
                s -> s.send(ALICE, "PATCH", COUNTER, "{'score+':100}")).given(AdversarialModifierCases::counters));
        c.add(attack(RULES, "+score (prepend form) is no way around the guard either", 400,
                s -> s.send(ALICE, "PATCH", COUNTER, "{'+score':100}")).given(AdversarialModifierCases::counters));
        c.add(attack(RULES, "views+ of another user's counter inside a batch", 400,
                s -> s.send(BOB, "POST", "/api/batch", pb("PATCH", COUNTER, "{'views+':5}"))).given(AdversarialModifierCases::counters));
        c.add(attack(TOKENS, "a forged or expired token as a guest sees exactly what anonymous sees", Attack.ANY, s -> {
            List<String> tokens = List.of(AdversarialTokenCases.none(s.w, "alice"), "Bearer garbage.token.here",
                    AdversarialTokenCases.swapClaim(s.w.bobToken, "\"id\":\"" + s.w.ids.get("bob"), "\"id\":\"" + s.w.ids.get("alice")));
            List<String[]> requests = List.of(new String[] {"GET", NOTE, null},
                    new String[] {"GET", "/api/collections/notes/records", null},
                    new String[] {"GET", "/api/collections/posts/records", null},
                    new String[] {"PATCH", NOTE, "{'title':'guest wrote this'}"},
                    new String[] {"DELETE", NOTE, null},
                    new String[] {"POST", "/api/collections/users/auth-refresh", null},
                    new String[] {"GET", "/api/collections", null});
            for (String[] r : requests) {
                RawHttp.Answer anonymous = s.sendToken(null, r[0], r[1], r[2]);
                for (String token : tokens) {
                    RawHttp.Answer guest = s.sendToken(token, r[0], r[1], r[2]);
                    if (guest.status() != anonymous.status() || !guest.body().equals(anonymous.body())) {
                        throw new AssertionError(r[0] + " " + r[1] + " as a guest: " + AdversarialTest.describe(guest)
                                + "\n  anonymous: " + AdversarialTest.describe(anonymous));
                    }
                }
            }
        }).env("INVALID_TOKEN", "guest"));
        return c;
    }

    /**
     * {@code counters} (once per world): owners update their own, the update rule guards {@code score};
     * {@code {aliceCounter}} is alice's, with views 5 and score 1.
     */
    private static void counters(AdversarialWorld w) {
        if (w.server.store().collection("counters").isPresent()) return;
        String rule = "owner_id = @request.auth.id && @request.body.score:isset = false";
        var made = w.server.post("/api/collections", AdversarialWorld.q("{'name':'counters','fields':[{'name':'views','type':'number'},"
                + "{'name':'score','type':'number'},"
                + "{'name':'owner_id','type':'text'}],'listRule':'owner_id = @request.auth.id','viewRule':'owner_id = @request.auth.id',"
                + "'createRule':'@request.auth.id != \\'\\'','updateRule':'" + rule + "','deleteRule':null}"));
        if (made.statusCode() != 200) throw new AssertionError("counters: " + made.body());
        var r = w.server.send("POST", "/api/collections/counters/records", AdversarialWorld.q("{'views':5,'score':1}"),
                "Authorization", w.aliceToken);
        if (r.statusCode() != 200) throw new AssertionError("alice's counter: " + r.body());
        w.ids.put("aliceCounter", AdversarialWorld.id(r));
    }
}
