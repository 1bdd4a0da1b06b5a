package dev.nanodb.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shutdown (what SIGTERM runs) with realtime streams open: it completes promptly instead of waiting for the
 * never-ending responses, and every stream — subscribed or not, reading or not — is ended by the server.
 */
@Timeout(60)
class RealtimeShutdownTest {
    private static final Duration PROMPT = Duration.ofSeconds(5);

    /** Closing the server with five kinds of open stream takes under 5 s and ends all of them. */
    @Test
    void closingTheServerEndsOpenStreamsPromptly() {
        HttpClient http = SseClient.httpClient();
        TestServer server = TestServer.start();
        boolean closed = false;
        try {
            String c = Fixture.publicCollection(server, "shutdown");
            Fixture.User alice = Fixture.user(server, "alice");
            SseClient pocketBase = SseClient.open(http, server.baseUrl(), "");
            pocketBase.subscribeOk(alice.token(), c + "/*");
            SseClient unsubscribed = SseClient.open(http, server.baseUrl(), "");
            SseClient seed = SseClient.open(http, server.baseUrl(), "?collections=" + c + "&token=" + alice.token());
            SseClient seedAll = SseClient.open(http, server.baseUrl(), "");
            RawStream stuck = RawStream.open(server.baseUrl());
            Fixture.expect(204, SseClient.post(http, server.baseUrl(), null,
                    "{\"clientId\":\"" + stuck.clientId() + "\",\"subscriptions\":[\"" + c + "/*\"]}"));
            String id = Fixture.create(server, c, "{'title':'before shutdown'}");
            for (SseClient s : List.of(pocketBase, seed, seedAll)) s.untilRecord(id, Fixture.WAIT);
            assertThat(Fixture.stat(server, "clients")).isEqualTo(5);

            long start = System.nanoTime();
            server.close();
            closed = true;
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("shutdown with 5 open streams took %d ms", ms).isLessThan(PROMPT.toMillis());

            for (SseClient s : List.of(pocketBase, unsubscribed, seed, seedAll)) {
                assertThat(s.awaitEnd(PROMPT)).as("stream %s ended by the shutdown", s.clientId()).isTrue();
            }
            assertThat(stuck.drainsToEnd(PROMPT)).as("the non-reading stream was closed too").isTrue();
            URI uri = URI.create(server.baseUrl());
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
                }
            }).as("the port no longer accepts connections").isInstanceOf(IOException.class);
            stuck.close();
        } finally {
            if (!closed) server.close();
            http.shutdownNow();
        }
    }
}
