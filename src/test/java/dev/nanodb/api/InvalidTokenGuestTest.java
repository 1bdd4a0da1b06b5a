package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.algorithms.Algorithm;
import dev.nanodb.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code INVALID_TOKEN=guest}, the default: on every route of {@link TokenRoutes} a present but invalid token
 * (expired but correctly signed, another secret, {@code alg: none}, garbage) gets exactly the answer of a request
 * without a token — status and body — so routes that require auth still answer 401, and public ones answer as to
 * an anonymous caller. The realtime stream's {@code ?token=} follows the same rule. {@link EveryRouteTokenTest}
 * checks the 401s of {@code reject}.
 */
class InvalidTokenGuestTest {
    private static TestServer server;
    private static String superuserId;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("JWT_SECRET", TokenTestSupport.SECRET));
        for (Step s : TokenRoutes.setup()) assertThat(server.post(s.url(), s.body()).statusCode()).isEqualTo(200);
        superuserId = server.store().query(new dev.nanodb.store.Query("_superusers", null, java.util.List.of(), 1, 1, false))
                .items().get(0).id();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Map<String, String> invalidTokens() {
        Instant now = Instant.now();
        String tokenKey = (String) server.store().get("_superusers", superuserId).orElseThrow().data().get("tokenKey");
        String expired = TokenTestSupport.craft(Algorithm.HMAC256(TokenTestSupport.key(TokenTestSupport.SECRET,
                TokenTestSupport.SUPERUSERS_ID, tokenKey)), superuserId, TokenTestSupport.SUPERUSERS_ID, now.minusSeconds(7200), now.minusSeconds(3600));
        String other = TokenTestSupport.craft(Algorithm.HMAC256(TokenTestSupport.key("another-secret-0123456789-abcdefghijklm",
                TokenTestSupport.SUPERUSERS_ID, tokenKey)), superuserId, TokenTestSupport.SUPERUSERS_ID, now, now.plusSeconds(600));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("expired, correctly signed", expired);
        out.put("signed with another secret", "Bearer " + other);
        out.put("alg none", TokenTestSupport.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + expired.split("\\.")[1] + ".");
        out.put("garbage", "xyz");
        return out;
    }

    private static HttpResponse<String> send(TokenRoutes.Route r, String authorization) {
        return r.send(server, authorization);
    }

    @Test
    void everyInvalidTokenIsAnsweredAsAnonymousOnEveryRoute() throws Exception {
        for (TokenRoutes.Route r : TokenRoutes.ROUTES) {
            for (Map.Entry<String, String> t : invalidTokens().entrySet()) {
                String what = t.getKey() + " on " + r;
                if (r.stream()) {
                    assertThat(streamStatus("Authorization", t.getValue(), "")).as(what).isEqualTo(r.anonymous());
                    continue;
                }
                HttpResponse<String> guest = send(r, t.getValue());
                HttpResponse<String> anonymous = send(r, null);
                assertThat(guest.statusCode()).as(what + ": " + guest.body()).isEqualTo(r.anonymous());
                assertThat(guest.body()).as(what).isEqualTo(anonymous.body());
            }
        }
    }

    @Test
    void anInvalidStreamTokenOpensAGuestStream() throws Exception {
        for (Map.Entry<String, String> t : invalidTokens().entrySet()) {
            assertThat(streamStatus(null, null, "?token=" + t.getValue().replace(' ', '+'))).as(t.getKey()).isEqualTo(200);
        }
    }

    private static int streamStatus(String header, String value, String query) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/realtime" + query))
                .timeout(Duration.ofSeconds(10)).GET();
        if (header != null) b.header(header, value);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            return r.statusCode();
        } finally {
            r.body().close();
        }
    }
}
