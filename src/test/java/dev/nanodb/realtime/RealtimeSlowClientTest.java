package dev.nanodb.realtime;

import static dev.nanodb.realtime.Fixture.create;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.realtime.SseClient.Event;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that stops reading is disconnected once its bounded send queue ({@code REALTIME_QUEUE_BYTES}, here
 * the minimum 4KB) is full, and counted in {@code /api/stats}; meanwhile a reading client on the same topic
 * receives every event, in order, before and after the drop.
 */
@Timeout(120)
class RealtimeSlowClientTest {
    /** Each record carries this much text, so the stuck connection's buffers fill after a bounded number of writes. */
    private static final int RECORD_BYTES = 8 * 1024;
    /** Enough to fill the kernel's socket buffers (at most a few MB on loopback) many times over. */
    private static final int MAX_RECORDS = 2_000;
    private static final int AFTER_DROP = 50;

    /** The stuck client is dropped and counted, the connection is closed, and the reading client misses nothing. */
    @Test
    void aClientThatStopsReadingIsDroppedWhileAnotherReceivesEveryEvent() {
        try (TestServer server = TestServer.start(Map.of("REALTIME_QUEUE_BYTES", "4KB"));
             HttpClientCloser http = new HttpClientCloser(SseClient.httpClient())) {
            String c = Fixture.publicCollection(server, "slow");
            try (SseClient reader = SseClient.open(http.client, server.baseUrl(), "");
                 RawStream stuck = RawStream.open(server.baseUrl())) {
                reader.subscribeOk(null, c + "/*");
                Fixture.expect(204, SseClient.post(http.client, server.baseUrl(), null,
                        "{\"clientId\":\"" + stuck.clientId() + "\",\"subscriptions\":[\"" + c + "/*\"]}"));
                long clientsBefore = Fixture.stat(server, "clients");
                long droppedBefore = Fixture.stat(server, "droppedSlow");
                assertThat(clientsBefore).as("both streams are counted").isEqualTo(2);

                String text = "x".repeat(RECORD_BYTES);
                List<String> written = new ArrayList<>();
                int droppedAt = -1;
                while (written.size() < MAX_RECORDS && (droppedAt < 0 || written.size() < droppedAt + AFTER_DROP)) {
                    written.add(create(server, c, "{'title':'" + written.size() + " " + text + "'}"));
                    if (droppedAt < 0 && written.size() % 10 == 0 && Fixture.stat(server, "droppedSlow") > droppedBefore) {
                        droppedAt = written.size();
                    }
                }
                assertThat(droppedAt).as("the stuck client was not dropped after %d records of %d bytes",
                        written.size(), RECORD_BYTES).isPositive();

                List<Event> got = reader.untilRecord(written.getLast(), Duration.ofSeconds(30)).stream()
                        .filter(e -> e.name().equals(c + "/*")).toList();
                assertThat(got).as("the reading client receives every event in order (stuck client dropped after %d)", droppedAt)
                        .extracting(Event::recordId).containsExactlyElementsOf(written);
                assertThat(got).extracting(Event::action).containsOnly("create");

                assertThat(Fixture.stat(server, "droppedSlow")).isEqualTo(droppedBefore + 1);
                Fixture.awaitStat(server, "clients", n -> n == clientsBefore - 1, Fixture.WAIT);
                assertThat(stuck.drainsToEnd(Duration.ofSeconds(10))).as("the server closed the stuck connection").isTrue();
                assertThat(reader.isEnded()).as("the reading client is still connected").isFalse();
                String after = create(server, c, "{'title':'after'}");
                assertThat(reader.untilRecord(after, Fixture.WAIT)).extracting(Event::recordId).containsExactly(after);
                System.out.printf("realtime slow client: dropped after %d records of %d bytes%n", droppedAt, RECORD_BYTES);
            }
        }
    }

    /** Closes an {@link HttpClient} without waiting for its cancelled streams. */
    record HttpClientCloser(HttpClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.shutdownNow();
        }
    }
}
