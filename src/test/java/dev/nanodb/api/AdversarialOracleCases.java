package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.ORACLES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static dev.nanodb.api.Attack.oracle;
import static dev.nanodb.api.Attack.pb;
import static dev.nanodb.api.Attack.seed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Oracles: answers that would tell an attacker whether a record it may not see exists, or what a value it may
 * not read is. A hidden record must be answered exactly as a missing one on every route that names an id
 * (single routes, both batch shapes, versions, upserts); a client's filter or sort may not name a hidden field
 * (refused, never counted); {@code fields} never brings a hidden field back; a login failure is one answer
 * whether the account exists or not. Bob is the attacker, alice's records are the hidden ones.
 */
final class AdversarialOracleCases {
    private AdversarialOracleCases() {}

    private static final String NOTE = "/api/collections/notes/records/{id}";
    private static final String DRAFT = "/api/collections/drafts/records/{aliceDraft}";
    private static final String USER = "/api/collections/users/records/{id}";
    private static final String BATCH = "/api/batch";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(oracle("GET of alice's note by bob: hidden vs missing", BOB, "GET", NOTE, null, "aliceNote", 404));
        c.add(oracle("GET of alice's note, anonymous", ANON, "GET", NOTE, null, "aliceNote", 404));
        c.add(oracle("PATCH of alice's note by bob", BOB, "PATCH", NOTE, "{'title':'bob was here'}", "aliceNote", 404));
        c.add(oracle("DELETE of alice's note by bob", BOB, "DELETE", NOTE, null, "aliceNote", 404));
        c.add(oracle("a stale _expectedVersion on alice's note", BOB, "PATCH", NOTE, "{'title':'x','_expectedVersion':0}",
                "aliceNote", 404));
        c.add(oracle("the current _expectedVersion on alice's note", BOB, "PATCH", NOTE, "{'title':'x','_expectedVersion':1}",
                "aliceNote", 404));
        c.add(oracle("?version= on a DELETE of alice's note", BOB, "DELETE", NOTE + "?version=0", null, "aliceNote", 404));
        c.add(oracle("GET of alice's account by bob", BOB, "GET", USER, null, "alice", 404));
        c.add(oracle("a password change of alice's account by bob", BOB, "PATCH", USER,
                "{'oldPassword':'password123','password':'guessed12345','passwordConfirm':'guessed12345'}", "alice", 404));
        c.add(oracle("GET of a record of a superusers-only collection, anonymous", ANON, "GET",
                "/api/collections/vault/records/{id}", null, "vault", 403));
        c.add(oracle("GET of a superuser's record by bob", BOB, "GET", "/api/collections/_superusers/records/{id}", null, "admin", 403));
        c.add(oracle("PocketBase batch PATCH of alice's note", BOB, "POST", BATCH,
                pb("PATCH", "/api/collections/notes/records/{id}", "{'title':'x'}"), "aliceNote", 400));
        c.add(oracle("PocketBase batch DELETE of alice's note with ?version=", BOB, "POST", BATCH,
                pb("DELETE", "/api/collections/notes/records/{id}?version=0", null), "aliceNote", 400));
        c.add(oracle("seed batch update of alice's note with _expectedVersion", BOB, "POST", BATCH,
                seed("update", "notes", "{id}", "{'title':'x','_expectedVersion':0}"), "aliceNote", 400));
        c.add(oracle("seed batch delete of alice's note", BOB, "POST", BATCH, seed("delete", "notes", "{id}", null), "aliceNote", 400));
        c.add(oracle("batch upsert (PUT) with the id of alice's note", BOB, "POST", BATCH,
                pb("PUT", "/api/collections/notes/records", "{'id':'{id}','title':'x'}"), "aliceNote", 400));
        c.add(oracle("batch upsert of a draft bob may update but not view", BOB, "POST", BATCH,
                pb("PUT", "/api/collections/drafts/records", "{'id':'{id}','title':'x'}"), "aliceDraft", 400));
        c.add(oracle("a list filtered on the id of alice's note: the same empty page", BOB, "GET",
                "/api/collections/notes/records?filter=id%3D%22{id}%22", null, "aliceNote", 200));
        c.add(attack(ORACLES, "owner_id guesses in an update of a draft bob may update but not view: the same 400", 400,
                s -> s.pair(s.w.ids.get("alice"), AdversarialWorld.MISSING, owner -> s.send(BOB, "PATCH",
                        "/api/collections/drafts/records/{target}", "{'owner_id':'" + owner + "'}")))
                .given(w -> w.ids.put("target", w.adminCreate("drafts", "{'title':'ZQX-GUESS','owner_id':'{alice}'}"))));
        c.add(http(ORACLES, "a stale version of a draft bob may update but not view: 409 without the version", BOB, "PATCH",
                DRAFT, "{'title':'x','_expectedVersion':7}", 409).then(s -> versionless(s.first())));
        c.add(http(ORACLES, "a stale ?version= on a DELETE of that draft: 409 without the version", BOB, "DELETE",
                DRAFT + "?version=7", null, 409).then(s -> versionless(s.first())));
        c.add(attack(ORACLES, "a filter on a hidden field is refused, never counted", 400,
                s -> s.list(BOB, "posts", "filter", "secret ~ 'Z'")).then(s -> notCounted(s.first(), "filter")));
        c.add(attack(ORACLES, "a seed JSON filter on a hidden field is refused", 400,
                s -> s.list(BOB, "posts", "filter", "{\"secret\":\"Z\"}")).then(s -> notCounted(s.first(), "filter")));
        c.add(attack(ORACLES, "a seed field=value filter on a hidden field is refused", 400,
                s -> s.list(ANON, "posts", "filter", "secret=Z")).then(s -> notCounted(s.first(), "filter")));
        c.add(attack(ORACLES, "a filter comparing a visible field with a hidden one is refused", 400,
                s -> s.list(ANON, "posts", "filter", "title = secret")).then(s -> notCounted(s.first(), "filter")));
        c.add(attack(ORACLES, "a filter on alice's password hash is refused", 400,
                s -> s.list(BOB, "users", "filter", "password ~ '$2'")).then(s -> notCounted(s.first(), "filter")));
        c.add(attack(ORACLES, "a sort on a hidden field is refused", 400,
                s -> s.list(ANON, "posts", "sort", "-secret")).then(s -> notCounted(s.first(), "sort")));
        c.add(attack(ORACLES, "a sort on tokenKey is refused", 400,
                s -> s.list(BOB, "users", "sort", "tokenKey")).then(s -> notCounted(s.first(), "sort")));
        c.add(attack(ORACLES, "fields= asking for a hidden field of a list: absent", 200,
                s -> s.list(ANON, "posts", "fields", "id,title,secret,password,tokenKey"))
                .then(s -> assertThat(AdversarialTest.json(s.first().body()).path("items").get(0).has("secret")).isFalse()));
        c.add(http(ORACLES, "fields= asking for a hidden field of one record: absent", ANON, "GET",
                "/api/collections/posts/records/{post}?fields=secret,title", null, 200)
                .then(s -> assertThat(AdversarialTest.json(s.first().body()).has("secret")).isFalse()));
        c.add(attack(ORACLES, "a filter naming @collection as a user", 403,
                s -> s.list(BOB, "posts", "filter", "@collection.users.email ~ 'a'")));
        c.add(attack(ORACLES, "a filter naming @request as anonymous", 403,
                s -> s.list(ANON, "posts", "filter", "@request.auth.id = ''")));
        c.add(attack(ORACLES, "expand= through owner_id is ignored", 200,
                s -> s.list(ANON, "posts", "expand", "owner_id", "fields", "id,title,owner_id,expand")));
        c.add(attack(ORACLES, "the users list shows bob only himself", 200, s -> s.list(BOB, "users", "perPage", "1000"))
                .then(s -> {
                    JsonNode page = AdversarialTest.json(s.first().body());
                    assertThat(page.path("totalItems").asInt()).isEqualTo(1);
                    assertThat(page.path("items").get(0).path("id").asText()).isEqualTo(s.w.ids.get("bob"));
                }));
        c.add(attack(ORACLES, "the users list filtered on alice's e-mail vs an unknown one", 200,
                s -> s.pair(AdversarialWorld.ALICE_EMAIL, "nobody@example.com", e -> s.list(BOB, "users", "filter", "email = '" + e + "'"))));
        c.add(attack(ORACLES, "sign-in with a wrong password vs an unknown e-mail (PocketBase)", 400,
                s -> s.pair(AdversarialWorld.ALICE_EMAIL, "nobody@example.com", e -> s.send(ANON, "POST",
                        "/api/collections/users/auth-with-password", "{'identity':'" + e + "','password':'wrong-password'}"))));
        c.add(attack(ORACLES, "sign-in with a wrong password vs an unknown e-mail (seed)", 400,
                s -> s.pair(AdversarialWorld.ALICE_EMAIL, "nobody@example.com", e -> s.send(ANON, "POST", "/api/auth/login",
                        "{'email':'" + e + "','password':'wrong-password'}"))));
        c.add(attack(ORACLES, "superuser sign-in with a wrong password vs an unknown e-mail", 400,
                s -> s.pair("admin@local.host", "nobody@example.com", e -> s.send(ANON, "POST",
                        "/api/collections/_superusers/auth-with-password", "{'identity':'" + e + "','password':'wrong-password'}"))));
        for (String route : new String[] {"request-verification", "request-password-reset"}) {
            c.add(attack(ORACLES, route + " for alice's e-mail vs an unknown one", 204,
                    s -> s.pair(AdversarialWorld.ALICE_EMAIL, "nobody@example.com", e -> s.send(ANON, "POST",
                            "/api/collections/users/" + route, "{'email':'" + e + "'}"))));
        }
        c.add(attack(ORACLES, "request-otp for alice's e-mail vs an unknown one: an otpId of one shape", 200, s -> {
            s.admin("PATCH", "/api/collections/users", "{\"otp\":{\"enabled\":true}}");
            s.send(ANON, "POST", "/api/collections/users/request-otp", "{'email':'" + AdversarialWorld.ALICE_EMAIL + "'}");
            s.send(ANON, "POST", "/api/collections/users/request-otp", "{'email':'nobody@example.com'}");
        }).env("AUTO_COLLECTIONS", "true").changes("a code is stored for alice").then(s -> {
            assertThat(s.answer(1).status()).isEqualTo(200);
            assertThat(s.answer(0).body().replaceAll("[a-z0-9]{15}", "ID")).isEqualTo(s.answer(1).body().replaceAll("[a-z0-9]{15}", "ID"));
        }));
        return c;
    }

    /** A 409 that names no stored version: the caller may change the record but not view it. */
    private static void versionless(RawHttp.Answer a) {
        JsonNode n = AdversarialTest.json(a.body());
        assertThat(n.path("data").path("_version").path("code").asText()).isEqualTo("version_conflict");
        assertThat(n.path("data").path("_version").path("message").asText()).isEqualTo("The record has a newer version.");
        assertThat(a.body().replace("\"status\":409", "")).as("no version number").doesNotContainPattern("[0-9]");
    }

    /** A refusal naming the parameter, with no count in it. */
    private static void notCounted(RawHttp.Answer a, String param) {
        JsonNode n = AdversarialTest.json(a.body());
        assertThat(n.path("data").has(param)).as(a.body()).isTrue();
        assertThat(a.body()).doesNotContain("totalItems", "items");
    }
}
