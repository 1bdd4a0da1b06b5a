package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.patch;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.nanodb.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code password} field on a base collection, on both backends: the plain value is checked ({@code min},
 * {@code max}, {@code pattern}, 72 bytes), stored only as a bcrypt hash at the field's cost, never served to anyone
 * (superusers included), never filtered or sorted on, kept by an update that leaves it out.
 */
class PasswordFieldApiTest {
    /** vaults: a pin of 4 to 8 digits, a required passphrase; everyone may do everything. */
    static final String VAULTS = "{'name':'vaults','fields':[{'name':'title','type':'text'},"
            + "{'name':'pin','type':'password','min':4,'max':8,'pattern':'^[0-9]+$','cost':5,'hidden':false},"
            + "{'name':'phrase','type':'password','required':true}],"
            + "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''}";
    private static final String OK = "{'title':'t','pin':'975312','phrase':'correct horse'}";

    @TestFactory
    Stream<DynamicTest> passwordFields() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    private static Step badField(String field, String pointer, String code) {
        return collection("{'name':'bad','fields':[" + field + "]}").expect(400).at("/data/fields.0." + pointer + "/code", code);
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("a password field is hidden and its hash is served to nobody")
                        .users("alice")
                        .given(collection(VAULTS).expect(200).at("/fields/1/type", "password").at("/fields/1/hidden", true)
                                .at("/fields/1/cost", 5).at("/fields/2/cost", 0))
                        .when(create("vaults", OK).as("alice").expect(200).at("/title", "t").missing("/pin").missing("/phrase")
                                .lacks("$2", "975312", "correct horse"))
                        .then(get(record("vaults", "{id}")).as("alice").expect(200).missing("/pin").lacks("$2"),
                                get(record("vaults", "{id}")).expect(200).missing("/pin").missing("/phrase").lacks("$2"),
                                list("vaults", "fields", "id,pin,phrase").expect(200).missing("/items/0/pin").lacks("$2"),
                                list("vaults").as("alice").expect(200).at("/totalItems", 1).lacks("$2"),
                                patch(record("vaults", "{id}"), "{'title':'u'}").as("alice").expect(200).lacks("$2")),
                Scenario.named("the plain value is checked: min, max, pattern, type, bcrypt's 72 bytes")
                        .given(collection(VAULTS))
                        .when(create("vaults", "{'pin':'123','phrase':'p'}").expect(400)
                                .at("/data/pin/code", "validation_min_text_constraint"))
                        .then(create("vaults", "{'pin':'123456789','phrase':'p'}").expect(400)
                                        .at("/data/pin/code", "validation_max_text_constraint"),
                                create("vaults", "{'pin':'12ab','phrase':'p'}").expect(400).at("/data/pin/code", "validation_invalid_format"),
                                create("vaults", "{'pin':1234,'phrase':'p'}").expect(400).at("/data/pin/code", "validation_invalid_string"),
                                create("vaults", "{'phrase':'" + "\u00e9".repeat(37) + "'}").expect(400)
                                        .at("/data/phrase/code", "validation_max_text_constraint"),
                                create("vaults", "{'phrase':'" + "x".repeat(72) + "'}").expect(400)
                                        .at("/data/phrase/code", "validation_max_text_constraint"),
                                create("vaults", "{'phrase':'" + "x".repeat(71) + "'}").expect(200)),
                Scenario.named("a required password field: absent, empty or null is 400; an update leaving it out is fine")
                        .given(collection(VAULTS))
                        .when(create("vaults", "{'title':'t'}").expect(400).at("/data/phrase/code", "validation_required"))
                        .then(create("vaults", "{'phrase':''}").expect(400).at("/data/phrase/code", "validation_required"),
                                create("vaults", OK).expect(200),
                                patch(record("vaults", "{id}"), "{'phrase':null}").expect(400).at("/data/phrase/code", "validation_required"),
                                patch(record("vaults", "{id}"), "{'title':'kept'}").expect(200).at("/title", "kept")),
                Scenario.named("a filter or sort on a password field is 400, for superusers too: no oracle on the hash")
                        .users("alice")
                        .given(collection(VAULTS), create("vaults", OK))
                        .when(list("vaults", "filter", "pin ~ '$2'").as("alice").expect(400).at("/data/filter/code", "validation_hidden_field"))
                        .then(list("vaults", "filter", "pin != ''").expect(400).at("/data/filter/code", "validation_hidden_field"),
                                list("vaults", "sort", "-phrase").expect(400).at("/data/sort/code", "validation_hidden_field")),
                Scenario.named("an expanded record never shows its password field")
                        .users("alice")
                        .given(collection(VAULTS), create("vaults", OK),
                                collection("{'name':'keys','fields':[{'name':'vault','type':'relation','collectionId':'vaults'}],"
                                        + "'listRule':'','viewRule':'','createRule':''}"),
                                create("keys", "{'vault':'{id1}'}"))
                        .when(get(Step.url(record("keys", "{id2}"), "expand", "vault")).as("alice").expect(200)
                                .at("/expand/vault/title", "t").missing("/expand/vault/pin").lacks("$2"))
                        .then(get(Step.url(record("keys", "{id2}"), "expand", "vault", "fields", "expand.vault.pin")).expect(200)
                                .lacks("$2")),
                Scenario.named("password field options as PocketBase checks them, and no index, uniqueness or default")
                        .when(badField("{'name':'p','type':'password','cost':3}", "cost", "validation_invalid_number"))
                        .then(badField("{'name':'p','type':'password','cost':15}", "cost", "validation_invalid_number"),
                                badField("{'name':'p','type':'password','min':72}", "min", "validation_invalid_number"),
                                badField("{'name':'p','type':'password','max':80}", "max", "validation_invalid_number"),
                                badField("{'name':'p','type':'password','unique':true}", "unique", "validation_not_applicable"),
                                badField("{'name':'p','type':'password','indexed':true}", "indexed", "validation_not_applicable"),
                                badField("{'name':'p','type':'password','default':'secret12'}", "default", "validation_not_applicable")));
    }

    /**
     * What is stored: a bcrypt hash at the field's cost that verifies the plain value; an update leaving the field out
     * keeps the very hash, a new value gets a new one, {@code ""} clears it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lmdb", TestServer.POSTGRES})
    void storesOnlyAHash(String backend) throws Exception {
        Map<String, String> env = backend.equals(TestServer.POSTGRES) ? Map.of(TestServer.BACKEND, TestServer.POSTGRES) : Map.of();
        try (TestServer server = TestServer.start(env)) {
            assertThat(server.post("/api/collections", Step.quotes(VAULTS)).statusCode()).isEqualTo(200);
            String body = server.post(Fixtures.records("vaults"), Step.quotes(OK)).body();
            String id = ScenarioRunner.JSON.readTree(body).get("id").asText();
            String pin = stored(server, id, "pin");
            assertThat(pin).startsWith("$2b$05$");
            assertThat(verifies("975312", pin)).isTrue();
            assertThat(stored(server, id, "phrase")).startsWith("$2b$04$").satisfies(h -> assertThat(verifies("correct horse", h)).isTrue());

            assertThat(server.patch(Fixtures.record("vaults", id), "{\"title\":\"u\"}").statusCode()).isEqualTo(200);
            assertThat(stored(server, id, "pin")).isEqualTo(pin);
            assertThat(server.patch(Fixtures.record("vaults", id), "{\"pin\":\"98765\"}").statusCode()).isEqualTo(200);
            assertThat(verifies("98765", stored(server, id, "pin"))).isTrue();
            assertThat(server.patch(Fixtures.record("vaults", id), "{\"pin\":\"\"}").statusCode()).isEqualTo(200);
            assertThat(stored(server, id, "pin")).isEmpty();
        }
    }

    private static String stored(TestServer server, String id, String field) {
        return (String) server.store().get("vaults", id).orElseThrow().data().get(field);
    }

    private static boolean verifies(String plain, String hash) {
        return BCrypt.verifyer().verify(plain.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }
}
