package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.algorithms.Algorithm;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code INVALID_TOKEN=reject}: "401 on every /api route" (docs/API.md, Auth; the guest default is
 * {@link InvalidTokenGuestTest}), checked on every route of
 * {@link TokenRoutes} with tokens crafted for the default superuser: correctly signed but expired, signed with
 * another secret, a flipped signature character, {@code alg: none}, and garbage with and without {@code Bearer}.
 * A crafted current token for the same superuser passes every route — the control that proves the crafting is
 * right, so each 401 is the server refusing that one defect. The logins ignore the header. A deleted user's token
 * on every route, and what each route answers without a token, are scenarios of {@link AuthSecurityTest}.
 */
class EveryRouteTokenTest extends TokenTestSupport {
    private static String superuserId;

    @BeforeAll
    static void lockedCollectionAndSuperuser() throws Exception {
        for (Step s : TokenRoutes.setup()) {
            HttpResponse<String> r = server.post(s.url(), s.body());
            assertThat(r.statusCode()).as("%s: %s", s, r.body()).isEqualTo(200);
        }
        HttpResponse<String> list = server.get("/api/collections/_superusers/records");
        superuserId = ScenarioRunner.JSON.readTree(list.body()).at("/items/0/id").asText();
        assertThat(superuserId).matches(Fixtures.ID_RE);
    }

    private static String superuserToken(String secret, Instant iat, Instant exp) {
        String tokenKey = (String) server.store().get("_superusers", superuserId).orElseThrow().data().get("tokenKey");
        return craft(Algorithm.HMAC256(key(secret, SUPERUSERS_ID, tokenKey)), superuserId, SUPERUSERS_ID, iat, exp);
    }

    /** Each invalid Authorization value by what is wrong with it. */
    private static Map<String, String> invalidTokens() {
        Instant now = Instant.now();
        String current = superuserToken(SECRET, now.minusSeconds(5), now.plusSeconds(600));
        int sig = current.lastIndexOf('.') + 1;
        String flipped = current.substring(0, sig) + (current.charAt(sig) == 'A' ? 'B' : 'A') + current.substring(sig + 1);
        String payload = current.substring(current.indexOf('.') + 1, current.lastIndexOf('.'));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("expired, correctly signed", superuserToken(SECRET, now.minusSeconds(7200), now.minusSeconds(3600)));
        out.put("signed with another secret", superuserToken("another-secret-0123456789-abcdefghijklm", now, now.plusSeconds(600)));
        out.put("a flipped signature character", "Bearer " + flipped);
        out.put("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".");
        out.put("garbage", "xyz");
        out.put("Bearer garbage", "Bearer aaa.bbb.ccc");
        return out;
    }

    private static HttpResponse<String> send(TokenRoutes.Route r, String authorization) {
        return r.send(server, authorization);
    }

    @Test
    void everyInvalidTokenIs401OnEveryRoute() {
        Map<String, String> invalid = invalidTokens();
        for (TokenRoutes.Route r : TokenRoutes.ROUTES) {
            invalid.forEach((what, token) -> assertRefused(send(r, token), what + " on " + r));
        }
        for (String what : invalid.keySet()) {
            assertRefused(server.send("GET", "/api/realtime?token=" + invalid.get(what).replace(' ', '+'), null),
                    what + " as the stream's ?token");
        }
    }

    @Test
    void theLoginsIgnoreAnInvalidToken() {
        for (TokenRoutes.Route r : TokenRoutes.LOGINS) {
            invalidTokens().forEach((what, token) -> {
                HttpResponse<String> answer = send(r, token);
                assertThat(answer.statusCode()).as("%s on %s: %s", what, r, answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("\"token\":");
            });
        }
    }

    @Test
    void aCraftedCurrentTokenPassesEveryRoute() throws Exception {
        String current = "Bearer " + superuserToken(SECRET, Instant.now().minusSeconds(5), Instant.now().plusSeconds(600));
        for (TokenRoutes.Route r : TokenRoutes.ROUTES) {
            int status = r.stream() ? streamStatus(current) : send(r, current).statusCode();
            assertThat(status).as("crafted current superuser token on %s", r).isEqualTo(r.superuser());
        }
    }

    /** The stream is the one route whose answer to a valid caller never ends: only its status and type are read. */
    @Test
    void theRealtimeStreamOpensWithoutAToken() throws Exception {
        assertThat(streamStatus(null)).isEqualTo(200);
    }

    private static int streamStatus(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/realtime"))
                .timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            return r.statusCode();
        } finally {
            r.body().close();
        }
    }
}
