package dev.nanodb.backups;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Record;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The done-when point of issue 7: a backup taken while writers keep creating records over HTTP restores to a store
 * that the consistency checker finds clean and that holds every write acknowledged before the backup request was
 * sent, with its acknowledged content. The test also requires that writes were acknowledged while the backup ran
 * (otherwise it would prove nothing about concurrency; see {@link #ATTEMPTS}) and that the live store went on past
 * the snapshot.
 */
class BackupUnderLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 8;
    private static final int PRELOAD_BATCHES = 150;
    private static final int BATCH = 100;
    private static final String PAYLOAD = "p".repeat(300);
    /**
     * Backups taken until one overlapped an acknowledgement: the overlap depends on the machine's speed, and each
     * attempt is a full instance of the property, so retrying keeps the test meaningful without a timing bound.
     */
    private static final int ATTEMPTS = 5;

    /** One acknowledged create: the record as answered and when the answer arrived. */
    private record Ack(String id, JsonNode body, long at) {}

    @Test
    void aBackupUnderWriteLoadRestoresCleanWithEveryEarlierAcknowledgedWrite() throws Exception {
        try (TestServer server = TestServer.start(Map.of("DB_INITIAL_SIZE", "64MB"))) {
            preload(server);
            ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(server, writer, acks, stop)));
            }
            awaitAcks(acks, 200);
            long sent = 0;
            long done = 0;
            long duringBackup = 0;
            String key = null;
            for (int attempt = 1; attempt <= ATTEMPTS && duringBackup == 0; attempt++) {
                key = "load" + attempt + ".zip";
                sent = System.nanoTime();
                HttpResponse<String> backup = server.post("/api/backups", "{\"name\":\"" + key + "\"}");
                done = System.nanoTime();
                assertThat(backup.statusCode()).as(backup.body()).isEqualTo(204);
                long from = sent;
                long to = done;
                duringBackup = acks.stream().filter(a -> a.at() > from && a.at() < to).count();
            }
            awaitAcks(acks, acks.size() + 200);
            stop.set(true);
            for (Future<Integer> f : writers) assertThat(f.get()).as("writer failures").isZero();
            pool.shutdown();

            long cutoff = sent;
            List<Ack> acknowledgedBefore = acks.stream().filter(a -> a.at() < cutoff).toList();
            long liveCount = server.store().count("load", null);
            System.out.printf("backup of %d records under load: %d ms, %d bytes; %d writes acknowledged during it%n",
                    liveCount, (done - sent) / 1_000_000, server.dataDir().resolve("backups/" + key).toFile().length(),
                    duringBackup);
            assertThat(duringBackup).as("writes acknowledged while the backup ran").isPositive();

            HttpResponse<String> restore = server.post("/api/backups/" + key + "/restore", null);
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(204);

            ConsistencyReport report = server.store().check();
            assertThat(report.problems()).isEmpty();
            assertThat(report.recordsChecked()).isGreaterThan(PRELOAD_BATCHES * BATCH);
            assertThat(acknowledgedBefore.size()).isGreaterThanOrEqualTo(200);
            for (Ack a : acknowledgedBefore) {
                Optional<Record> r = server.store().get("load", a.id());
                assertThat(r).as("acknowledged before the backup: " + a.id()).isPresent();
                assertThat(r.get().version()).isEqualTo(a.body().get("_version").asLong());
                assertThat(r.get().data().get("i")).isEqualTo(a.body().get("i").asLong());
                assertThat(r.get().data().get("w")).isEqualTo(a.body().get("w").asLong());
                assertThat(r.get().data().get("payload")).isEqualTo(a.body().get("payload").asText());
            }
            assertThat(server.store().count("load", null)).as("writes after the snapshot are not in it").isLessThan(liveCount);
        }
    }

    private static void preload(TestServer server) {
        StringBuilder ops = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < BATCH; i++) {
            if (i > 0) ops.append(',');
            ops.append("{\"method\":\"create\",\"collection\":\"load\",\"data\":{\"w\":-1,\"i\":").append(i)
                    .append(",\"payload\":\"").append(PAYLOAD).append("\"}}");
        }
        String body = ops.append("]}").toString();
        for (int b = 0; b < PRELOAD_BATCHES; b++) {
            HttpResponse<String> r = server.post("/api/batch", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    /** Creates records until told to stop; returns the number of failed requests (must be 0). */
    private static int write(TestServer server, int writer, ConcurrentLinkedQueue<Ack> acks, AtomicBoolean stop)
            throws Exception {
        int failures = 0;
        for (int i = 0; !stop.get(); i++) {
            HttpResponse<String> r = server.post("/api/collections/load/records",
                    "{\"w\":" + writer + ",\"i\":" + i + ",\"payload\":\"" + PAYLOAD + "\"}");
            long at = System.nanoTime();
            if (r.statusCode() != 200) {
                failures++;
                continue;
            }
            JsonNode body = JSON.readTree(r.body());
            acks.add(new Ack(body.get("id").asText(), body, at));
        }
        return failures;
    }

    /** Waits until n writes were acknowledged (fails after a minute: the writers are stuck or failing). */
    private static void awaitAcks(ConcurrentLinkedQueue<Ack> acks, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acks.size() < n) {
            assertThat(System.nanoTime()).as("waiting for %d acknowledged writes", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
