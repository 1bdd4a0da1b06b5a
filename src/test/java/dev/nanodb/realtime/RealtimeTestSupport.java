package dev.nanodb.realtime;

import dev.nanodb.testing.TestServer;
import java.net.http.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One server and one HTTP client shared by the tests of a realtime test class, and a way to open streams. */
abstract class RealtimeTestSupport {
    static TestServer server;
    static HttpClient http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = SseClient.httpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        http.shutdownNow();
    }

    SseClient open(String query) {
        return SseClient.open(http, server.baseUrl(), query);
    }
}
