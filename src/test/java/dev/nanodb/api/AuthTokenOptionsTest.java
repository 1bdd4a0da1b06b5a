package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.realtime.SseClient;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a token looks like under a collection's options (auth and file token durations, {@code JWT_EXPIRES_IN} as
 * the fallback), impersonation tokens (not refreshable: {@code auth-refresh} hands back the same token), and a
 * realtime event of an auth record, whose email reaches other subscribers only when it is visible.
 */
class AuthTokenOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static long lifetime(String token) {
        DecodedJWT jwt = JWT.decode(token);
        return jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond();
    }

    @Test
    void authTokensLiveForJwtExpiresInUntilTheCollectionSetsItsOwnDuration() throws Exception {
        server.signUp("alice@example.com");
        assertThat(lifetime(server.login("users", "alice@example.com", "password123"))).isEqualTo(7 * 86_400);
        json(server.patch("/api/collections/users", "{\"authToken\":{\"duration\":120},\"fileToken\":{\"duration\":30}}"), 200);
        String token = server.login("users", "alice@example.com", "password123");
        assertThat(lifetime(token)).isEqualTo(120);
        JsonNode file = json(server.send("POST", "/api/files/token", null, "Authorization", token), 200);
        assertThat(lifetime(file.get("token").asText())).isEqualTo(30);
    }

    @Test
    void anImpersonationTokenWorksAndIsHandedBackUnchangedByAuthRefresh() throws Exception {
        String alice = server.signUp("alice@example.com");
        JsonNode answer = json(server.post("/api/collections/users/impersonate/" + alice, "{\"duration\":90}"), 200);
        String token = answer.get("token").asText();
        assertThat(lifetime(token)).isEqualTo(90);
        assertThat(JWT.decode(token).getClaim("refreshable").asBoolean()).isFalse();
        json(server.send("GET", "/api/collections/users/records/" + alice, null, "Authorization", token), 200);
        JsonNode refreshed = json(server.send("POST", "/api/collections/users/auth-refresh", null, "Authorization", token), 200);
        assertThat(refreshed.get("token").asText()).isEqualTo(token);
        assertThat(refreshed.at("/record/id").asText()).isEqualTo(alice);
        String normal = server.login("users", "alice@example.com", "password123");
        assertThat(JWT.decode(normal).getClaim("refreshable").asBoolean()).isTrue();
        Thread.sleep(1100);
        JsonNode fresh = json(server.send("POST", "/api/collections/users/auth-refresh", null, "Authorization", normal), 200);
        assertThat(fresh.get("token").asText()).isNotEqualTo(normal);
    }

    @Test
    void realtimeEventsCarryAnEmailOnlyWhereItIsVisible() throws Exception {
        server.signUp("alice@example.com");
        String bob = server.signUp("bob@example.com");
        json(server.patch("/api/collections/users", "{\"listRule\":\"\",\"viewRule\":\"\"}"), 200);
        String aliceToken = server.login("users", "alice@example.com", "password123");
        String bobToken = server.login("users", "bob@example.com", "password123");
        HttpClient http = SseClient.httpClient();
        try (SseClient a = SseClient.open(http, server.baseUrl(), "", "Authorization", aliceToken);
             SseClient b = SseClient.open(http, server.baseUrl(), "", "Authorization", bobToken);
             SseClient anon = SseClient.open(http, server.baseUrl(), "")) {
            a.subscribeOk(aliceToken, "users/*");
            b.subscribeOk(bobToken, "users/*");
            anon.subscribeOk(null, "users/*");
            json(server.patch("/api/collections/users/records/" + bob, "{\"name\":\"Bob\"}"), 200);
            for (SseClient other : List.of(a, anon)) {
                SseClient.Event e = other.untilRecord(bob, Duration.ofSeconds(10)).getLast();
                assertThat(e.record()).containsEntry("name", "Bob").doesNotContainKey("email");
            }
            assertThat(b.untilRecord(bob, Duration.ofSeconds(10)).getLast().record()).containsEntry("email", "bob@example.com");
            json(server.send("PATCH", "/api/collections/users/records/" + bob, "{\"emailVisibility\":true}",
                    "Authorization", bobToken), 200);
            assertThat(a.untilRecord(bob, Duration.ofSeconds(10)).getLast().record()).containsEntry("email", "bob@example.com");
            assertThat(anon.untilRecord(bob, Duration.ofSeconds(10)).getLast().record()).containsEntry("email", "bob@example.com");
        }
    }
}
