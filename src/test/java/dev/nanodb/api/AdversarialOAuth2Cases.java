package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.REALTIME;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient;
import dev.nanodb.testing.MockProvider;
import java.time.Duration;
import java.util.List;

/**
 * OAuth2 sign-in as an attacker uses it, against a real OAuth2/OIDC server: a forged code, {@code createData} that
 * would verify the account, choose its id or take alice's e-mail, the provider's client secret in any answer of a
 * whole sign-in, and {@code /api/oauth2-redirect} naming a realtime client that is not waiting for it. Rows that
 * configure the provider run on a fresh server (their {@code env} asks for one).
 */
final class AdversarialOAuth2Cases {
    private AdversarialOAuth2Cases() {}

    private static final String FRESH = "AUTO_COLLECTIONS";
    private static final String ROUTE = "/api/collections/users/auth-with-oauth2";
    private static final java.util.Map<String, MockProvider> PROVIDERS = new java.util.HashMap<>();

    /**
     * A provider server by purpose: the mock hands out its queued users in order, so a row that leaves a code
     * unexchanged has one of its own. Rows run one after the other.
     */
    private static synchronized MockProvider provider(String purpose) {
        return PROVIDERS.computeIfAbsent(purpose, k -> new MockProvider());
    }

    private static MockProvider provider() {
        return provider("shared");
    }

    private static RawHttp.Answer signIn(AdversarialSession s, String subject, String email, boolean verified,
                                         String createData) throws Exception {
        MockProvider.Grant g = provider().consent(s.w.server, "users", subject, email, verified);
        return s.send(ANON, "POST", ROUTE, g.body(createData));
    }

    static List<Attack> all() {
        Attack.Given configured = w -> provider().configure(w.server, "users", true);
        return List.of(
                // a code the provider really issued, without its PKCE verifier (an intercepted code), sent once: the
                // mock server forgets a code after one attempt and then issues tokens for codes it does not know, as no
                // real provider does, so neither a made-up code nor a second attempt proves anything here
                attack(RULES, "an intercepted OAuth2 code without its verifier signs in nobody and links nothing", 400, s -> {
                    MockProvider.Grant g = provider("intercepted").consent(s.w.server, "users", "victim-1",
                            "victim@example.com", true);
                    String stolen = new MockProvider.Grant(g.code(), "x".repeat(43), g.state()).body(null);
                    s.send(BOB, "POST", ROUTE, stolen); // signed in: a success would link the victim's account to bob
                }).env(FRESH, "true").given(w -> provider("intercepted").configure(w.server, "users", true)),
                attack(RULES, "createData that verifies the account, chooses its id or takes alice's e-mail", 400, s -> {
                    signIn(s, "mallory-1", "", false, "{\"email\":\"mallory@example.com\",\"verified\":true}");
                    signIn(s, "mallory-2", "mallory2@example.com", true, s.w.fill("{\"id\":\"{alice}\"}"));
                    signIn(s, "mallory-3", "", false, "{\"email\":\"" + AdversarialWorld.ALICE_EMAIL + "\"}");
                }).env(FRESH, "true").given(configured).then(s -> {
                    for (RawHttp.Answer a : s.answers()) {
                        assertThat(a.status()).isBetween(400, 499);
                        assertThat(a.body()).doesNotContain("\"token\"");
                    }
                }),
                attack(RULES, "the provider's client secret in no answer of a whole OAuth2 sign-in", 200, s -> {
                    signIn(s, "secret-1", "secret1@example.com", true, null);
                    s.send(ANON, "GET", "/api/collections/users/auth-methods", null);
                    s.send(BOB, "GET", "/api/collections/users", null);
                }).env(FRESH, "true").given(configured).changes("a new user signs up through the provider").then(s -> {
                    for (RawHttp.Answer a : s.answers()) assertThat(a.body()).doesNotContain(MockProvider.SECRET);
                }),
                attack(REALTIME, "an oauth2-redirect naming a client not waiting for it delivers nothing", 204, s -> {
                    SseClient victim = s.stream("", BOB);
                    s.subscribe(victim, BOB, "users/*");
                    RawHttp.Answer page = s.send(ANON, "GET", "/api/oauth2-redirect?state=" + victim.clientId()
                            + "&code=forged-code", null);
                    assertThat(page.body()).contains("Failed to authenticate");
                    s.send(ANON, "GET", "/api/oauth2-redirect?state=no-such-client&code=forged-code", null);
                    // now the victim waits; the first @oauth2 it receives is this one, so the forged one never came
                    s.subscribe(victim, BOB, "@oauth2");
                    s.send(ANON, "GET", "/api/oauth2-redirect?state=" + victim.clientId() + "&code=marker-code", null);
                    List<SseClient.Event> got = victim.until(e -> e.name().equals("@oauth2"), Duration.ofSeconds(10));
                    assertThat(got.getLast().data()).contains("marker-code").doesNotContain("forged-code");
                }));
    }
}
