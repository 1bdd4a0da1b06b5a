package dev.nanodb.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.nanodb.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many open streams on one server: 2,000 concurrent SSE connections, each with its own PocketBase subscription,
 * all receive one committed create within a bounded time, and all are released when the clients go away.
 */
@Timeout(120)
class RealtimeScaleTest {
    private static final int STREAMS = 2_000;
    /** Opens and subscriptions in flight at once (the listen backlog and the test's CPU are finite). */
    private static final int IN_FLIGHT = 100;
    private static final Duration DELIVERY_BOUND = Duration.ofSeconds(30);

    /** One create reaches every one of 2,000 subscribed streams within {@link #DELIVERY_BOUND}. */
    @Test
    void oneEventReachesTwoThousandConcurrentStreams() throws Exception {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            assertThat(os.getMaxFileDescriptorCount()).as("open-file limit (ulimit -n) for %d client and %d server sockets",
                    STREAMS, STREAMS).isGreaterThan(2L * STREAMS + 1_000);
        }
        HttpClient http = SseClient.httpClient();
        List<SseClient> clients = new ArrayList<>();
        try (TestServer server = TestServer.start()) {
            String c = Fixture.publicCollection(server, "scale");
            long t0 = System.nanoTime();
            clients.addAll(openAll(http, server.baseUrl()));
            long opened = System.nanoTime();
            subscribeAll(clients, c + "/*");
            long subscribed = System.nanoTime();
            assertThat(Fixture.stat(server, "clients")).isEqualTo(STREAMS);
            long eventsBefore = Fixture.stat(server, "events");

            long start = System.nanoTime();
            String id = Fixture.create(server, c, "{'title':'to everyone'}");
            long deadline = start + DELIVERY_BOUND.toNanos();
            int received = 0;
            for (SseClient client : clients) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                SseClient.Event e = client.untilRecord(id, left).getLast();
                assertThat(e.name()).isEqualTo(c + "/*");
                assertThat(e.action()).isEqualTo("create");
                received++;
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            String report = String.format("%d streams: opened in %d ms, subscribed in %d ms, one create delivered to all in %d ms",
                    STREAMS, (opened - t0) / 1_000_000, (subscribed - opened) / 1_000_000, elapsedMs);
            System.out.println("realtime scale: " + report);
            assertThat(received).as(report).isEqualTo(STREAMS);
            assertThat(elapsedMs).as(report).isLessThan(DELIVERY_BOUND.toMillis());
            assertThat(Fixture.stat(server, "events") - eventsBefore).as("one event queued per stream").isEqualTo(STREAMS);

            clients.forEach(SseClient::close);
            Fixture.awaitStat(server, "clients", n -> n == 0, Duration.ofSeconds(20));
        } finally {
            clients.forEach(SseClient::close);
            http.shutdownNow();
        }
    }

    private static List<SseClient> openAll(HttpClient http, String baseUrl) throws Exception {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<SseClient>> opening = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            slots.acquire();
            CompletableFuture<SseClient> f = SseClient.openAsync(http, baseUrl, "");
            f.whenComplete((c, e) -> slots.release());
            opening.add(f);
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return opening.stream().map(CompletableFuture::join).toList();
    }

    private static void subscribeAll(List<SseClient> clients, String topic) throws Exception {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SseClient client : clients) {
                slots.acquire();
                pending.add(CompletableFuture.runAsync(() -> {
                    try {
                        client.subscribeOk(null, topic);
                    } finally {
                        slots.release();
                    }
                }, pool));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }
}
