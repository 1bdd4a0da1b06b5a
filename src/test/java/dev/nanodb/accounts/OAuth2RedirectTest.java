package dev.nanodb.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.testing.MockProvider;
import dev.nanodb.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK's all-in-one flow over a real realtime stream: a client subscribed to {@code @oauth2} receives the
 * provider's redirect ({@code state} = its client id) once, then completes the sign-in with the code; a redirect
 * naming another client, or a client not subscribed to {@code @oauth2}, delivers nothing.
 */
class OAuth2RedirectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** An open realtime stream: its client id and the lines it receives. */
    private record Stream_(String clientId, BlockingQueue<String> lines) {
        /** The data of the next event named {@code name}, or null within the wait. */
        String next(String name, long millis) throws InterruptedException {
            long end = System.currentTimeMillis() + millis;
            boolean named = false;
            while (System.currentTimeMillis() < end) {
                String line = lines.poll(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (line == null) return null;
                if (line.equals("event:" + name)) named = true;
                else if (named && line.startsWith("data:")) return line.substring(5);
            }
            return null;
        }
    }

    private Stream_ open(TestServer s) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/realtime")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread.startVirtualThread(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException closedWithTheServer) {
                // the stream ends when the test's server stops
            }
        });
        Stream_ stream = new Stream_(null, lines);
        String hello = stream.next("PB_CONNECT", 5000);
        return new Stream_(JSON.readTree(hello).get("clientId").asText(), lines);
    }

    private static void subscribe(TestServer s, Stream_ st, String topics) {
        assertThat(s.send("POST", "/api/realtime", "{\"clientId\":\"" + st.clientId() + "\",\"subscriptions\":" + topics + "}")
                .statusCode()).isEqualTo(204);
    }

    @Test
    void theSubscribedClientNamedByTheStateReceivesTheCodeOnceAndSignsInWithIt() throws Exception {
        try (TestServer s = TestServer.start(); MockProvider provider = new MockProvider()) {
            provider.configure(s, "users", true);
            Stream_ waiting = open(s), other = open(s);
            subscribe(s, waiting, "[\"@oauth2\"]");
            subscribe(s, other, "[\"users/*\"]");
            String redirect = s.baseUrl() + "/api/oauth2-redirect";

            HttpResponse<String> foreign = s.send("GET", "/api/oauth2-redirect?state=" + other.clientId() + "&code=abc", null);
            assertThat(foreign.body()).contains("Failed to authenticate");
            assertThat(foreign.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'");
            assertThat(s.send("GET", "/api/oauth2-redirect?state=nobody&code=abc", null).body()).contains("Failed");

            MockProvider.Grant g = provider.consent(s, "users", "sub-rt", "rt@example.com", true, redirect);
            HttpResponse<String> page = s.send("GET", "/api/oauth2-redirect?state=" + waiting.clientId() + "&code="
                    + java.net.URLEncoder.encode(g.code(), java.nio.charset.StandardCharsets.UTF_8), null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Auth completed");
            JsonNode message = JSON.readTree(waiting.next("@oauth2", 5000));
            assertThat(message.get("state").asText()).isEqualTo(waiting.clientId());
            assertThat(message.get("code").asText()).isEqualTo(g.code());
            assertThat(other.next("@oauth2", 300)).isNull();
            assertThat(s.send("GET", "/api/oauth2-redirect?state=" + waiting.clientId() + "&code=again", null).body())
                    .as("one subscription receives one message").contains("Failed");

            HttpResponse<String> signIn = s.send("POST", "/api/collections/users/auth-with-oauth2", "{\"provider\":\"oidc\","
                    + "\"code\":\"" + message.get("code").asText() + "\",\"codeVerifier\":\"" + g.verifier()
                    + "\",\"redirectURL\":\"" + redirect + "\"}");
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
            assertThat(JSON.readTree(signIn.body()).at("/record/email").asText()).isEqualTo("rt@example.com");
        }
    }

    @Test
    void aProviderErrorReachesTheClientAndThePageSaysItFailed() throws Exception {
        try (TestServer s = TestServer.start()) {
            Stream_ waiting = open(s);
            subscribe(s, waiting, "[\"@oauth2\"]");
            HttpResponse<String> page = s.send("POST", "/api/oauth2-redirect", "state=" + waiting.clientId()
                    + "&error=access_denied", "Content-Type", "application/x-www-form-urlencoded");
            assertThat(page.body()).contains("Failed to authenticate");
            JsonNode message = JSON.readTree(waiting.next("@oauth2", 5000));
            assertThat(message.get("error").asText()).isEqualTo("access_denied");
            assertThat(message.get("code").asText()).isEmpty();
        }
    }
}
