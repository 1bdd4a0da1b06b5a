package dev.nanodb.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.testing.Eventually;
import dev.nanodb.testing.MockProvider;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code auth-with-oauth2} over real HTTP against a real OAuth2/OIDC server, on both backends: sign-up, the same
 * provider account again, PocketBase's linking of an existing e-mail, refusals that create nothing, authRule, and
 * the links going with a deleted user.
 */
class OAuth2SignInTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTE = "/api/collections/users/auth-with-oauth2";
    /** One provider per test: the mock hands out its queued users in order, so no test may see another's. */
    private MockProvider provider;

    @BeforeEach
    void startProvider() {
        provider = new MockProvider();
    }

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    TestServer start(String backend) {
        Map<String, String> env = new HashMap<>();
        if (backend.equals("postgres")) env.put(TestServer.BACKEND, TestServer.POSTGRES);
        TestServer s = TestServer.start(env);
        provider.configure(s, "users", true);
        return s;
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> signIn(TestServer s, MockProvider.Grant g, String createData, String... headers) {
        return s.send("POST", ROUTE, g.body(createData), headers);
    }

    static int count(TestServer s, String collection) throws Exception {
        return json(s.get("/api/collections/" + collection + "/records")).get("totalItems").asInt();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void aFirstSignInCreatesAVerifiedLinkedUserAndTheSameAccountSignsInAsItAgain(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            HttpResponse<String> first = signIn(s, provider.consent(s, "users", "sub-1", "Ada@Example.com", true), null);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            JsonNode a = json(first);
            String id = a.at("/record/id").asText();
            assertThat(a.at("/record/email").asText()).isEqualTo("ada@example.com");
            assertThat(a.at("/record/verified").asBoolean()).isTrue();
            assertThat(a.at("/record/name").asText()).isEqualTo("Name of sub-1");
            assertThat(a.at("/meta/isNew").asBoolean()).isTrue();
            assertThat(a.at("/meta/id").asText()).isEqualTo("sub-1");
            assertThat(a.at("/meta/accessToken").asText()).isNotEmpty();
            assertThat(a.at("/meta/rawUser/sub").asText()).isEqualTo("sub-1");
            assertThat(first.body()).doesNotContain(MockProvider.SECRET);
            String token = a.get("token").asText();
            assertThat(s.send("GET", "/api/collections/users/records/" + id, null, "Authorization", token).statusCode())
                    .isEqualTo(200);
            JsonNode links = json(s.get("/api/collections/_externalAuths/records"));
            assertThat(links.get("totalItems").asInt()).isEqualTo(1);
            assertThat(links.at("/items/0/recordRef").asText()).isEqualTo(id);
            assertThat(links.at("/items/0/provider").asText()).isEqualTo("oidc");
            assertThat(links.at("/items/0/providerId").asText()).isEqualTo("sub-1");
            assertThat(links.at("/items/0/providerKey").isMissingNode()).isTrue();

            HttpResponse<String> again = signIn(s, provider.consent(s, "users", "sub-1", "ada@example.com", true), null);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(json(again).at("/record/id").asText()).isEqualTo(id);
            assertThat(json(again).at("/meta/isNew").asBoolean()).isFalse();
            assertThat(count(s, "_externalAuths")).isEqualTo(1);
            assertThat(count(s, "users")).isEqualTo(1);

            assertThat(s.delete("/api/collections/users/records/" + id).statusCode()).isEqualTo(200);
            Eventually.holds(() -> {
                try {
                    assertThat(count(s, "_externalAuths")).as("the deleted user's links").isZero();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void anUnverifiedPasswordAccountWithTheVerifiedEmailIsLinkedVerifiedAndLosesItsPassword(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String id = s.signUp("eve@example.com");
            HttpResponse<String> r = signIn(s, provider.consent(s, "users", "sub-2", "eve@example.com", true), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).at("/record/id").asText()).isEqualTo(id);
            assertThat(json(r).at("/record/verified").asBoolean()).isTrue();
            assertThat(json(r).at("/meta/isNew").asBoolean()).isFalse();
            assertThat(s.send("POST", "/api/collections/users/auth-with-password",
                    "{\"identity\":\"eve@example.com\",\"password\":\"password123\"}").statusCode())
                    .as("a possibly pre-hijacked password no longer signs in").isEqualTo(400);
            HttpResponse<String> unverified = signIn(s, provider.consent(s, "users", "sub-3", "eve@example.com", false), null);
            assertThat(unverified.statusCode()).as("an unverified provider e-mail never links to an account by e-mail")
                    .isEqualTo(400);
            assertThat(count(s, "users")).isEqualTo(1);
            assertThat(count(s, "_externalAuths")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void aSignedInUserLinksTheProviderAccountToItselfAndAVerifiedAccountKeepsItsPassword(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String id = s.signUp("kim@example.com");
            String token = s.login("users", "kim@example.com", "password123");
            HttpResponse<String> linked = signIn(s, provider.consent(s, "users", "sub-k", "kim.work@example.com", true), null,
                    "Authorization", token);
            assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
            assertThat(json(linked).at("/record/id").asText()).as("the caller is linked").isEqualTo(id);
            assertThat(json(linked).at("/record/verified").asBoolean()).as("another e-mail verifies nothing").isFalse();
            assertThat(s.login("users", "kim@example.com", "password123")).as("the caller's own password stays").isNotEmpty();
            HttpResponse<String> again = signIn(s, provider.consent(s, "users", "sub-k", "kim.work@example.com", true), null);
            assertThat(json(again).at("/record/id").asText()).as("the link signs in anonymously").isEqualTo(id);

            String verified = s.signUp("lee@example.com");
            assertThat(s.patch("/api/collections/users/records/" + verified, "{\"verified\":true}").statusCode()).isEqualTo(200);
            HttpResponse<String> byEmail = signIn(s, provider.consent(s, "users", "sub-l", "lee@example.com", true), null);
            assertThat(json(byEmail).at("/record/id").asText()).isEqualTo(verified);
            assertThat(s.login("users", "lee@example.com", "password123")).as("a verified account keeps its password").isNotEmpty();
            assertThat(count(s, "_externalAuths")).isEqualTo(2);
        }
    }

    /**
     * A squatter registers the victim's address (unverified), links a provider account of their own while signed in,
     * and waits: when the victim takes the account over with a password reset, the squatter's link is gone with it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void theOwnersPasswordResetRemovesTheLinksASquatterMade(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String victim = s.signUp("vic@example.com");
            String squatter = s.login("users", "vic@example.com", "password123");
            HttpResponse<String> linked = signIn(s, provider.consent(s, "users", "sub-sq", "squatter@example.com", true), null,
                    "Authorization", squatter);
            assertThat(json(linked).at("/record/id").asText()).isEqualTo(victim);
            assertThat(count(s, "_externalAuths")).isEqualTo(1);
            String reset = dev.nanodb.testing.FlowTokens.reset(s, victim);
            assertThat(s.send("POST", "/api/collections/users/confirm-password-reset", "{\"token\":\"" + reset
                    + "\",\"password\":\"owners-password-1\",\"passwordConfirm\":\"owners-password-1\"}").statusCode()).isEqualTo(204);
            assertThat(count(s, "_externalAuths")).as("the squatter's link went with the takeover").isZero();
            HttpResponse<String> back = signIn(s, provider.consent(s, "users", "sub-sq", "squatter@example.com", true), null);
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(json(back).at("/record/id").asText()).as("the provider account now signs in as a new user").isNotEqualTo(victim);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void withMfaAProviderSignInIsAFirstFactorAndCompletesAPasswordOne(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String id = s.signUp("mo@example.com");
            assertThat(s.patch("/api/collections/users/records/" + id, "{\"verified\":true}").statusCode()).isEqualTo(200);
            assertThat(s.patch("/api/collections/users", "{\"mfa\":{\"enabled\":true}}").statusCode()).isEqualTo(200);
            HttpResponse<String> first = signIn(s, provider.consent(s, "users", "sub-m", "mo@example.com", true), null);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(401);
            assertThat(json(first).has("token")).isFalse();
            String mfaId = json(first).get("mfaId").asText();
            HttpResponse<String> second = s.send("POST", "/api/collections/users/auth-with-password",
                    "{\"identity\":\"mo@example.com\",\"password\":\"password123\",\"mfaId\":\"" + mfaId + "\"}");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(json(second).at("/record/id").asText()).isEqualTo(id);
            HttpResponse<String> passwordFirst = s.send("POST", "/api/collections/users/auth-with-password",
                    "{\"identity\":\"mo@example.com\",\"password\":\"password123\"}");
            String passwordSession = json(passwordFirst).get("mfaId").asText();
            MockProvider.Grant g = provider.consent(s, "users", "sub-m", "mo@example.com", true);
            HttpResponse<String> byProvider = s.send("POST", ROUTE + "?mfaId=" + passwordSession, g.body(null));
            assertThat(byProvider.statusCode()).as(byProvider.body()).isEqualTo(200);
            assertThat(json(byProvider).at("/meta/id").asText()).isEqualTo("sub-m");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void aCodeWithAWrongVerifierIsRefusedAndCreatesNothing(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            MockProvider.Grant g = provider.consent(s, "users", "sub-4", "bob@example.com", true);
            HttpResponse<String> wrongVerifier = s.send("POST", ROUTE,
                    new MockProvider.Grant(g.code(), "x".repeat(43), g.state()).body(null));
            assertThat(wrongVerifier.statusCode()).as(wrongVerifier.body()).isEqualTo(400);
            assertThat(json(wrongVerifier).get("message").asText()).isEqualTo("Failed to fetch OAuth2 token.");
            // (a made-up code is not tried: the mock server issues tokens even for codes it never issued)
            assertThat(count(s, "users")).isZero();
            assertThat(count(s, "_externalAuths")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void refusalsFollowPocketBase(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            HttpResponse<String> missing = s.send("POST", ROUTE, "{\"provider\":\"github\",\"code\":\"c\"}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(json(missing).at("/data/provider/code").asText()).isEqualTo("validation_invalid_provider");
            assertThat(json(s.send("POST", ROUTE, "{\"provider\":\"oidc\"}")).at("/data/code/code").asText())
                    .isEqualTo("validation_required");
            assertThat(s.send("POST", "/api/collections/nothere/auth-with-oauth2", "{}").statusCode()).isEqualTo(404);

            assertThat(s.patch("/api/collections/users", "{\"authRule\":\"verified = false\"}").statusCode()).isEqualTo(200);
            HttpResponse<String> ruled = signIn(s, provider.consent(s, "users", "sub-5", "cy@example.com", true), null);
            assertThat(ruled.statusCode()).as(ruled.body()).isEqualTo(403);
            assertThat(ruled.body()).doesNotContain("token");

            MockProvider.Grant g = provider.consent(s, "users", "sub-6", "dee@example.com", true);
            provider.configure(s, "users", false);
            assertThat(signIn(s, g, null).statusCode()).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void createDataGoesThroughTheNormalCreateChecks(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String other = s.signUp("owner@example.com");
            HttpResponse<String> verified = signIn(s, provider.consent(s, "users", "sub-7", "", false), "{\"verified\":true,"
                    + "\"email\":\"mine@example.com\"}");
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(400);
            assertThat(json(verified).at("/data/verified").isMissingNode()).isFalse();
            HttpResponse<String> chosenId = signIn(s, provider.consent(s, "users", "sub-8", "ida@example.com", true),
                    "{\"id\":\"" + other + "\"}");
            assertThat(chosenId.statusCode()).isEqualTo(400);
            HttpResponse<String> takenEmail = signIn(s, provider.consent(s, "users", "sub-9", "", false),
                    "{\"email\":\"owner@example.com\"}");
            assertThat(takenEmail.statusCode()).as("the create path's unique refusal").isEqualTo(409);
            assertThat(count(s, "users")).isEqualTo(1);
            assertThat(count(s, "_externalAuths")).isZero();

            HttpResponse<String> named = signIn(s, provider.consent(s, "users", "sub-10", "", false),
                    "{\"email\":\"new@example.com\",\"name\":\"Chosen\"}");
            assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
            assertThat(json(named).at("/record/name").asText()).isEqualTo("Chosen");
            assertThat(json(named).at("/record/verified").asBoolean()).as("not the provider's e-mail").isFalse();
        }
    }
}
