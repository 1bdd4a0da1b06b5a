package dev.nanodb.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-IP stream limit ({@code REALTIME_STREAMS_PER_IP}) and the per-client subscription limit
 * ({@code REALTIME_SUBSCRIPTIONS}): a stream over the limit is refused with 429 and counted, a closed stream frees
 * its slot, and a subscription list over the limit is 400 and changes nothing.
 */
@Timeout(60)
class RealtimeLimitsTest {

    /** Two streams per IP: the third is 429 (counted in {@code refused}); after one closes, a new one opens. */
    @Test
    void streamsPerIpAreLimited() throws Exception {
        HttpClient http = SseClient.httpClient();
        try (TestServer server = TestServer.start(Map.of("REALTIME_STREAMS_PER_IP", "2"))) {
            SseClient first = SseClient.open(http, server.baseUrl(), "");
            SseClient second = SseClient.open(http, server.baseUrl(), "");
            long refusedBefore = Fixture.stat(server, "refused");
            HttpResponse<String> third = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/realtime"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(third.statusCode()).as("third stream from one IP: %s", third.body()).isEqualTo(429);
            assertThat(Fixture.stat(server, "refused")).isEqualTo(refusedBefore + 1);
            assertThat(Fixture.stat(server, "clients")).isEqualTo(2);

            first.close();
            Fixture.awaitStat(server, "clients", n -> n == 1, Fixture.WAIT);
            SseClient again = SseClient.open(http, server.baseUrl(), "");
            assertThat(again.clientId()).isNotBlank();
            assertThat(second.isEnded()).isFalse();
            again.close();
            second.close();
        } finally {
            http.shutdownNow();
        }
    }

    /** Three subscriptions per client: four topics are 400 and the previous three keep working. */
    @Test
    void subscriptionsPerClientAreLimited() {
        HttpClient http = SseClient.httpClient();
        try (TestServer server = TestServer.start(Map.of("REALTIME_SUBSCRIPTIONS", "3"));
             SseClient s = SseClient.open(http, server.baseUrl(), "")) {
            String c = Fixture.publicCollection(server, "limit");
            String id = Fixture.create(server, c, "{'title':'x'}");
            s.subscribeOk(null, c + "/*", c + "/" + id, c + "/other");
            HttpResponse<String> r = s.subscribe(null, List.of(c + "/*", c + "/" + id, c + "/a", c + "/b"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            Fixture.update(server, c, id, "{'title':'y'}");
            assertThat(s.until(e -> "update".equals(e.action()) && e.name().equals(c + "/" + id), Fixture.WAIT))
                    .as("the earlier subscriptions are intact").isNotEmpty();
        } finally {
            http.shutdownNow();
        }
    }
}
