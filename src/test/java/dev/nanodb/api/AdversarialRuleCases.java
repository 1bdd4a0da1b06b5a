package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static dev.nanodb.api.Attack.pb;
import static dev.nanodb.api.Attack.pbOp;
import static dev.nanodb.api.Attack.seed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.store.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule bypass: every way a user or an anonymous caller might write what the rules and field protection forbid —
 * someone else's {@code owner_id}, {@code verified}, a chosen {@code id}, system collections
 * ({@code _superusers}, {@code _rate_limits}), the superuser routes (collections, settings, backups, consistency,
 * stats, operations), system fields ({@code created}, {@code _version}, {@code tokenKey} …) — on the single
 * routes and in both batch shapes, where one refused operation must leave the whole batch unapplied. And the
 * writes a caller may do but whose record it may not view: done, answered with no record at all.
 */
final class AdversarialRuleCases {
    private AdversarialRuleCases() {}

    private static final String NOTES = "/api/collections/notes/records";
    private static final String USERS = "/api/collections/users/records";
    private static final String BATCH = "/api/batch";
    private static final String SIGN_UP = "'password':'password123','passwordConfirm':'password123'";
    private static final String TARGET = "/api/collections/drafts/records/{target}";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(http(RULES, "create a note owned by alice", BOB, "POST", NOTES, "{'title':'t','owner_id':'{alice}'}", 400)
                .then(s -> names(s.first(), "owner_id")));
        c.add(http(RULES, "give bob's note to alice", BOB, "PATCH", NOTES + "/{bobNote}", "{'owner_id':'{alice}'}", 400)
                .then(s -> names(s.first(), "owner_id")));
        c.add(http(RULES, "sign up already verified", ANON, "POST", USERS, "{'email':'mallory@example.com'," + SIGN_UP
                + ",'verified':true}", 400).then(s -> names(s.first(), "verified")));
        c.add(http(RULES, "sign up verified with the string 'true'", ANON, "POST", USERS, "{'email':'mallory@example.com'," + SIGN_UP
                + ",'verified':'true'}", 400).then(s -> names(s.first(), "verified")));
        c.add(attack(RULES, "sign up verified through a plain multipart field", 400, s -> multipart(s, USERS, null,
                "{'email':'mallory@example.com'," + SIGN_UP + "}", "verified", "true")).then(s -> names(s.first(), "verified")));
        c.add(attack(RULES, "a note owned by alice through a plain multipart field", 400, s -> multipart(s, NOTES, s.w.bobToken,
                "{'title':'t'}", "owner_id", s.w.ids.get("alice"))).then(s -> names(s.first(), "owner_id")));
        c.add(http(RULES, "verify himself", BOB, "PATCH", USERS + "/{bob}", "{'verified':true}", 400)
                .then(s -> names(s.first(), "verified")));
        c.add(http(RULES, "choose the id of a new record", BOB, "POST", NOTES, "{'id':'aaaaaaaaaaaaaaa','title':'t'}", 400)
                .then(s -> names(s.first(), "id")));
        c.add(http(RULES, "create a superuser as a user", BOB, "POST", "/api/collections/_superusers/records",
                "{'email':'evil@example.com'," + SIGN_UP + "}", 403));
        c.add(http(RULES, "create a superuser anonymously", ANON, "POST", "/api/collections/_superusers/records",
                "{'email':'evil@example.com'," + SIGN_UP + "}", 403));
        c.add(http(RULES, "create a rate-limit rule as a user", BOB, "POST", "/api/collections/_rate_limits/records",
                "{'path':'/api/','max':1,'timeWindow':60}", 403));
        c.add(http(RULES, "change a superuser's e-mail as a user", BOB, "PATCH", "/api/collections/_superusers/records/{admin}",
                "{'email':'bob-root@example.com'}", 403));
        c.add(http(RULES, "seed batch: delete a superuser as a user", BOB, "POST", BATCH, seed("delete", "_superusers", "{admin}", null),
                400).then(s -> inner(s.first(), 403)));
        c.add(http(RULES, "PocketBase batch: switch a rate-limit rule off, anonymously", ANON, "POST", BATCH,
                pb("PATCH", "/api/collections/_rate_limits/records/{missing}", "{'enabled':false}"), 400).then(s -> inner(s.first(), 403)));
        c.add(http(RULES, "list the rate-limit rules anonymously", ANON, "GET", "/api/collections/_rate_limits/records", null, 403));
        c.add(http(RULES, "change a record of a superusers-only collection", BOB, "PATCH", "/api/collections/vault/records/{vault}",
                "{'title':'x'}", 403));
        c.add(http(RULES, "create a collection by writing to it, anonymously", ANON, "POST", "/api/collections/newthing/records",
                "{'a':1}", 404));
        c.add(http(RULES, "PocketBase batch: create a superuser", BOB, "POST", BATCH, pb("POST", "/api/collections/_superusers/records",
                "{'email':'evil@example.com'," + SIGN_UP + "}"), 400).then(s -> inner(s.first(), 403)));
        c.add(http(RULES, "seed batch: create a rate-limit rule anonymously", ANON, "POST", BATCH,
                seed("create", "_rate_limits", null, "{'path':'/api/','max':1,'timeWindow':60}"), 400).then(s -> inner(s.first(), 403)));
        c.add(http(RULES, "PocketBase batch: a note owned by alice", BOB, "POST", BATCH,
                pb("POST", NOTES, "{'title':'t','owner_id':'{alice}'}"), 400).then(s -> inner(s.first(), 400)));
        c.add(http(RULES, "seed batch: give bob's note to alice", BOB, "POST", BATCH,
                seed("update", "notes", "{bobNote}", "{'owner_id':'{alice}'}"), 400).then(s -> inner(s.first(), 400)));
        c.add(http(RULES, "seed batch: choose the id of a new record", BOB, "POST", BATCH,
                seed("create", "notes", "aaaaaaaaaaaaaaa", "{'title':'t'}"), 400).then(s -> inner(s.first(), 400)));
        c.add(http(RULES, "PocketBase batch: verify himself", BOB, "POST", BATCH,
                pb("PATCH", USERS + "/{bob}", "{'verified':true}"), 400).then(s -> inner(s.first(), 400)));
        c.add(http(RULES, "PocketBase batch: an allowed create, then a superusers-only one: nothing applied", BOB, "POST", BATCH,
                "{'requests':[" + pbOp("POST", NOTES, "{'title':'would be mine'}") + ","
                        + pbOp("POST", "/api/collections/vault/records", "{'title':'x'}") + "]}", 400)
                .then(s -> assertThat(AdversarialTest.json(s.first().body()).at("/data/requests/1/response/status").asInt()).isEqualTo(403)));
        for (String[] route : new String[][] {{"GET", "/api/collections", null}, {"GET", "/api/collections/notes", null},
                {"POST", "/api/collections", "{'name':'evil','listRule':''}"}, {"PATCH", "/api/collections/notes", "{'listRule':''}"},
                {"DELETE", "/api/collections/notes", null}, {"DELETE", "/api/collections/notes/truncate", null},
                {"PUT", "/api/collections/import", "{'collections':[{'name':'notes','listRule':''}],'deleteMissing':true}"},
                {"GET", "/api/collections/meta/scaffolds", null},
                {"GET", "/api/settings/warnings", null}, {"GET", "/api/backups", null},
                {"POST", "/api/backups", "{}"}, {"GET", "/api/admin/consistency", null}, {"GET", "/api/stats", null},
                {"GET", "/api/operations", null}, {"GET", "/api/settings", null},
                {"PATCH", "/api/settings", "{'smtp':{'enabled':true,'host':'evil.example.com','port':25}}"},
                {"POST", "/api/settings/test/email", "{'email':'bob@example.com','template':'otp'}"}}) {
            c.add(http(RULES, route[0] + " " + route[1] + " as a user", BOB, route[0], route[1], route[2], 403));
        }
        c.add(http(RULES, "DELETE /api/collections/vault/truncate anonymously", ANON, "DELETE", "/api/collections/vault/truncate", null, 401));
        // an import may update a system collection but never rename it away or delete it, not even for a superuser
        c.add(http(RULES, "import that renames _superusers away", w -> w.server.superuserToken(), "PUT", "/api/collections/import",
                "{'collections':[{'id':'pbc_superusers0','name':'gone'}],'deleteMissing':true}", 400));
        c.add(http(RULES, "import that makes _superusers a view", w -> w.server.superuserToken(), "PUT", "/api/collections/import",
                "{'collections':[{'name':'_superusers','type':'view'}]}", 400));
        c.add(http(RULES, "PATCH /api/collections/vault anonymously", ANON, "PATCH", "/api/collections/vault", "{'viewRule':''}", 401));
        c.add(http(RULES, "GET /api/backups anonymously", ANON, "GET", "/api/backups", null, 401));
        c.add(http(RULES, "read the settings record through the records API as a user", BOB, "GET",
                "/api/collections/_params/records?filter=value.smtp.password%3E%3D'a'", null, 404));
        c.add(http(RULES, "write the settings record through the records API as a user", BOB, "POST",
                "/api/collections/_params/records", "{'value':{'smtp':{'enabled':true,'host':'evil.example.com'}}}", 404));
        c.add(http(RULES, "PATCH /api/settings anonymously", ANON, "PATCH", "/api/settings", "{'meta':{'appURL':'https://evil.example.com'}}", 401));
        c.add(attack(RULES, "an update of a draft bob may not view: 204 without a body", 204,
                s -> s.send(BOB, "PATCH", TARGET, "{'title':'bob was here'}")).given(AdversarialRuleCases::aliceDraft)
                .changes("the update is allowed").then(s -> {
                    assertThat(s.first().body()).isEmpty();
                    assertThat(stored(s, "drafts", "target").data()).containsEntry("title", "bob was here")
                            .containsEntry("secret", "ZQX-TARGET-SECRET");
                }));
        c.add(attack(RULES, "PocketBase batch: that update is {status: 204, body: null}", 200,
                s -> s.send(BOB, "POST", BATCH, pb("PATCH", TARGET, "{'title':'bob in a batch'}")))
                .given(AdversarialRuleCases::aliceDraft).changes("the update is allowed").then(s -> {
                    assertThat(AdversarialTest.json(s.first().body()).toString()).isEqualTo("[{\"status\":204,\"body\":null}]");
                    assertThat(stored(s, "drafts", "target").data()).containsEntry("title", "bob in a batch");
                }));
        c.add(attack(RULES, "seed batch: that update has result null", 200,
                s -> s.send(BOB, "POST", BATCH, seed("update", "drafts", "{target}", "{'title':'bob in a seed batch'}")))
                .given(AdversarialRuleCases::aliceDraft).changes("the update is allowed").then(s -> {
                    JsonNode r = AdversarialTest.json(s.first().body()).at("/results/0");
                    assertThat(r.path("success").asBoolean()).isTrue();
                    assertThat(r.path("result").isNull()).as(r.toString()).isTrue();
                }));
        c.add(http(RULES, "an anonymous create bob may not view back: 204", ANON, "POST", "/api/collections/drafts/records",
                "{'title':'anonymous draft','secret':'anonymous secret'}", 204).changes("drafts are open for creation")
                .then(s -> assertThat(s.first().body()).isEmpty()));
        c.add(http(RULES, "system fields in a create body are ignored", BOB, "POST", NOTES, "{'title':'mass assignment',"
                + "'created':'2000-01-01T00:00:00.000Z','updated':'2000-01-01T00:00:00.000Z','_version':99,"
                + "'collectionId':'pbc_users000000','collectionName':'users','tokenKey':'chosen-token-key','expand':{'x':1}}", 200)
                .changes("bob may create notes").then(s -> {
                    JsonNode n = AdversarialTest.json(s.first().body());
                    assertThat(n.path("_version").asInt()).isEqualTo(1);
                    assertThat(n.path("created").asText()).doesNotStartWith("2000");
                    assertThat(n.path("updated").asText()).doesNotStartWith("2000");
                    assertThat(n.path("collectionName").asText()).isEqualTo("notes");
                    assertThat(n.has("expand")).isFalse();
                    Record r = s.w.server.store().get("notes", n.path("id").asText()).orElseThrow();
                    assertThat(r.data()).doesNotContainKeys("tokenKey", "collectionId", "collectionName", "expand");
                }));
        c.add(http(RULES, "tokenKey, _version and created in bob's own account update are ignored", BOB, "PATCH", USERS + "/{bob}",
                "{'tokenKey':'chosen-token-key','_version':50,'created':'2000-01-01T00:00:00.000Z'}", 200)
                .changes("bob may update himself").then(s -> {
                    Record bob = stored(s, "users", "bob");
                    assertThat(bob.data().get("tokenKey")).isNotEqualTo("chosen-token-key");
                    assertThat(s.w.secrets).contains((String) bob.data().get("tokenKey"));
                    assertThat(bob.created()).doesNotStartWith("2000");
                    assertThat(s.w.server.send("GET", USERS + "/" + bob.id(), null, "Authorization", s.w.bobToken).statusCode())
                            .as("bob's token still works").isEqualTo(200);
                }));
        c.add(http(RULES, "a sign-up choosing its own tokenKey", ANON, "POST", USERS, "{'email':'keyed@example.com'," + SIGN_UP
                + ",'tokenKey':'chosen-token-key'}", 200).changes("anyone may sign up").then(s -> {
                    String id = AdversarialTest.json(s.first().body()).path("id").asText();
                    assertThat(s.w.tokenKey("users", id)).isNotBlank().isNotEqualTo("chosen-token-key");
                }));
        return c;
    }

    /** A multipart create (the SDK's FormData shape): {@code @jsonPayload} plus one plain form field. */
    private static RawHttp.Answer multipart(AdversarialSession s, String path, String token, String json, String field, String value) {
        byte[] body = ("--XyZ\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n" + AdversarialWorld.q(json)
                + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value + "\r\n--XyZ--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        List<String> headers = new ArrayList<>(List.of("Content-Type: multipart/form-data; boundary=XyZ", "Content-Length: " + body.length));
        if (token != null) headers.add("Authorization: " + token);
        return s.raw("POST " + path + " HTTP/1.1", body, headers.toArray(String[]::new));
    }

    /** A fresh draft of alice's as {@code {target}}: bob may update it (any signed-in user may), not view it. */
    private static void aliceDraft(AdversarialWorld w) {
        w.ids.put("target", w.adminCreate("drafts", "{'title':'ZQX-TARGET','secret':'ZQX-TARGET-SECRET','owner_id':'{alice}'}"));
    }

    private static Record stored(AdversarialSession s, String collection, String key) {
        return s.w.server.store().get(collection, s.w.ids.get(key)).orElseThrow();
    }

    /** A 400 whose {@code data} names the protected field. */
    private static void names(RawHttp.Answer a, String field) {
        assertThat(AdversarialTest.json(a.body()).path("data").has(field)).as(a.body()).isTrue();
    }

    /** A failed batch whose first operation got the status its single route would have answered. */
    private static void inner(RawHttp.Answer a, int status) {
        assertThat(AdversarialTest.json(a.body()).at("/data/requests/0/response/status").asInt()).as(a.body()).isEqualTo(status);
    }
}
