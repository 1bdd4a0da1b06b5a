package dev.nanodb.accounts.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nanodb.accounts.oauth2.OAuth2Exception.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GitHub-shaped flow (client secret in the form, a token answer without an ID token, the second call for the
 * verified e-mail) and the bounds of every provider call, against a small provider on the loopback interface.
 */
class ProviderHttpTest {
    private HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> tokenForms = new ConcurrentHashMap<>();
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        answers.put("/token", "{\"access_token\":\"gho_abc\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}");
        answers.put("/user", "{\"id\":583231,\"login\":\"octocat\",\"name\":\"The Octocat\",\"email\":null}");
        answers.put("/user/emails", "[{\"email\":\"octo@github.com\",\"primary\":true,\"verified\":true}]");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void githubSendsTheSecretInTheFormAndTakesThePrimaryVerifiedEmail() {
        OAuth2Client client = new OAuth2Client();
        Provider github = github();

        Tokens tokens = client.exchange(github, "the-code", Pkce.generate().verifier(), "https://app/cb");
        AuthUser user = client.fetchUser(github, tokens);

        assertThat(tokenForms.get("/token")).contains("client_secret=gh-secret").contains("code=the-code")
                .contains("grant_type=authorization_code").contains("code_verifier=");
        assertThat(tokens.accessToken()).isEqualTo("gho_abc");
        assertThat(tokens.idToken()).isEmpty();
        assertThat(tokens.expiry()).isNull();
        assertThat(user.id()).isEqualTo("583231");
        assertThat(user.username()).isEqualTo("octocat");
        assertThat(user.verifiedEmail()).isEqualTo("octo@github.com");
    }

    @Test
    void aMissingEmailScopeLeavesTheEmailUnverified() {
        statuses.put("/user/emails", 403);

        AuthUser user = new OAuth2Client().fetchUser(github(), new Tokens("gho_abc", "", "", null));

        assertThat(user.id()).isEqualTo("583231");
        assertThat(user.verifiedEmail()).isEmpty();
    }

    @Test
    void anOversizedAnswerIsRefusedWithoutReadingIt() {
        answers.put("/user", "{\"id\":1,\"pad\":\"" + "x".repeat(4096) + "\"}");
        OAuth2Client client = new OAuth2Client(new OAuth2Client.Options(Duration.ofSeconds(2), Duration.ofSeconds(5),
                1024, Duration.ofMinutes(5)));

        assertThatThrownBy(() -> client.fetchUser(github(), new Tokens("gho_abc", "", "", null)))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }

    @Test
    void aSlowOrTricklingProviderTimesOut() {
        OAuth2Client client = new OAuth2Client(new OAuth2Client.Options(Duration.ofSeconds(2), Duration.ofMillis(300),
                1 << 20, Duration.ofMinutes(5)));
        for (String slow : new String[] {"SLOW", "TRICKLE"}) {
            answers.put("/user", slow);

            assertThatThrownBy(() -> client.fetchUser(github(), new Tokens("gho_abc", "", "", null)))
                    .isInstanceOfSatisfying(OAuth2Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
        }
    }

    @Test
    void providerErrorsNeverCarryTheProviderBody() {
        answers.put("/token", "{\"error\":\"bad_verification_code\",\"error_description\":\"leaked gh-secret details\"}");
        statuses.put("/token", 400);
        statuses.put("/user", 500);
        answers.put("/user", "internal details gho_abc");
        OAuth2Client client = new OAuth2Client();

        assertThatThrownBy(() -> client.exchange(github(), "c", Pkce.generate().verifier(), "https://app/cb"))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> assertThat(e.reason()).isEqualTo(Reason.REFUSED))
                .hasMessageContaining("bad_verification_code").hasMessageNotContaining("leaked");
        assertThatThrownBy(() -> client.fetchUser(github(), new Tokens("gho_abc", "", "", null)))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
                .hasMessageContaining("500").hasMessageNotContaining("internal").hasMessageNotContaining("gho_abc");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Provider github() {
        return Providers.resolve(ProviderConfig.builder("github").clientId("gh-client").clientSecret("gh-secret")
                .tokenUrl(base + "/token").userInfoUrl(base + "/user").build());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/token")) {
            tokenForms.put(path, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } else if (!"Bearer gho_abc".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            statuses.put(path, 401);
        }
        String body = answers.getOrDefault(path, "{}");
        if (body.equals("SLOW")) pause(1500);
        if (body.equals("TRICKLE")) {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < 15; i++) {
                    out.write(' ');
                    out.flush();
                    pause(100);
                }
            } catch (IOException ignored) {
                // the client gave up, as it should
            }
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(statuses.getOrDefault(path, 200), bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException ignored) {
            // the client under test may hang up first (size and time bounds)
        }
    }
}
