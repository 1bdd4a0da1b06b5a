package dev.nanodb.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.store.postgres.DatabaseUrl;
import dev.nanodb.store.postgres.PostgresStore;
import dev.nanodb.testing.DelayProxy;
import dev.nanodb.testing.PgTestDatabase;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node whose PostgreSQL is a network hop away (a proxy delays every byte by {@value #DELAY_MS} ms each way):
 * no database call may run on an event loop, or each would hold up every request of that loop. While 32 clients
 * read records as fast as they can, {@code /health} on the same node still answers at once, and views run at a
 * rate only a pool of concurrent database calls reaches — an event loop calling the database itself would serve
 * at most one view per two round trips (the caller's account, then the record) per loop.
 */
class RemotePostgresTest {
    private static final long DELAY_MS = 3;
    private static final int CLIENTS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRemoteDatabaseNeverHoldsUpTheEventLoop() throws Exception {
        PgTestDatabase.assumeAvailable();
        DatabaseUrl direct = PgTestDatabase.url();
        try (DelayProxy proxy = new DelayProxy("127.0.0.1", 5432, DELAY_MS);
             TestServer server = TestServer.start(Map.of(), c -> new PostgresStore(new DatabaseUrl(
                     direct.jdbcUrl().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()), direct.user(), direct.password()),
                     PgTestDatabase.freshSchema(), 4))) {
            assertThat(server.asSuperuser("POST", "/api/collections", "{\"name\":\"notes\",\"fields\":[{\"name\":\"t\",\"type\":\"text\"},"
                    + "{\"name\":\"owner\",\"type\":\"text\"}],\"listRule\":\"owner = @request.auth.id\",\"viewRule\":\"owner = @request.auth.id\"}")
                    .statusCode()).isEqualTo(200);
            String me = server.signUp("reader@example.com");
            String token = server.login("users", "reader@example.com", "password123");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> made = server.asSuperuser("POST", "/api/collections/notes/records",
                        "{\"t\":\"n" + i + "\",\"owner\":\"" + me + "\"}");
                assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
                ids.add(JSON.readTree(made.body()).path("id").asText());
            }

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger views = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int start = c;
                Thread.ofVirtual().start(() -> {
                    for (int i = start; running.get(); i++) {
                        HttpResponse<String> r = server.send("GET", "/api/collections/notes/records/" + ids.get(i % ids.size()), null,
                                "Authorization", token);
                        if (r.statusCode() == 200) views.incrementAndGet();
                        else failures.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            Thread.sleep(1000);
            int before = views.get();
            long from = System.nanoTime();
            List<Double> health = new ArrayList<>();
            while (System.nanoTime() - from < TimeUnit.SECONDS.toNanos(3)) {
                long t0 = System.nanoTime();
                assertThat(server.get("/health").statusCode()).isEqualTo(200);
                health.add((System.nanoTime() - t0) / 1e6);
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - from) / 1e9;
            double rate = (views.get() - before) / seconds;
            running.set(false);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

            Collections.sort(health);
            double p90 = health.get((int) (health.size() * 0.9));
            int loops = Runtime.getRuntime().availableProcessors();
            double onLoopBound = loops * 1000.0 / (2 * 2 * DELAY_MS);
            System.out.printf("RemotePostgresTest: %.0f views/s, /health p90 %.1f ms (%d samples), event-loop bound %.0f/s%n",
                    rate, p90, health.size(), onLoopBound);
            assertThat(failures.get()).isZero();
            assertThat(p90).as("/health p90 in ms while %d clients view records (%s)", CLIENTS, health).isLessThan(10);
            assertThat(rate).as("views/s; event loops calling the database could serve at most %.0f/s", onLoopBound)
                    .isGreaterThan(2 * onLoopBound);
        }
    }
}
