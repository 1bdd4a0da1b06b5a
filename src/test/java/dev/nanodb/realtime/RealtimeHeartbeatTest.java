package dev.nanodb.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.TestServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The keep-alive and idle policy, with the intervals shortened (heartbeat 1 s, idle timeout 2 s): a subscribed
 * stream receives heartbeats and stays open; a PocketBase client left without subscriptions is closed and
 * counted; a seed stream (no subscription request) is never closed for idleness.
 */
@Timeout(60)
class RealtimeHeartbeatTest {
    private static TestServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("REALTIME_HEARTBEAT", "1s", "REALTIME_IDLE_TIMEOUT", "2s"));
        http = SseClient.httpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        http.shutdownNow();
    }

    @Test
    void heartbeatsKeepSubscribedStreamsAndIdleClientsAreClosed() throws Exception {
        String c = Fixture.publicCollection(server, "beat");
        try (SseClient subscribed = SseClient.open(http, server.baseUrl(), "");
             SseClient unsubscribed = SseClient.open(http, server.baseUrl(), "");
             SseClient seed = SseClient.open(http, server.baseUrl(), "")) {
            subscribed.subscribeOk(null, c + "/*");
            assertThat(unsubscribed.subscribe(null, List.of()).statusCode()).isEqualTo(204);
            assertThat(unsubscribed.awaitEnd(Duration.ofSeconds(8)))
                    .as("a PocketBase client without subscriptions is closed after the idle timeout").isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (subscribed.comments() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(subscribed.comments()).as("heartbeats on a subscribed stream").isGreaterThanOrEqualTo(2);
            assertThat(subscribed.isEnded()).as("a subscribed stream stays open").isFalse();
            assertThat(seed.isEnded()).as("a seed stream is never closed for idleness").isFalse();
            assertThat(seed.comments()).isGreaterThanOrEqualTo(1);
            String stats = server.get("/api/stats").body();
            assertThat(stats).contains("\"closedIdle\":1");
        }
    }
}
