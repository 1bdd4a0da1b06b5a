package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Change;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.Multipart.Part;
import dev.nanodb.testing.Eventually;
import dev.nanodb.testing.TestServer;
import dev.nanodb.testing.Uploads;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code DELETE /api/collections/{c}/truncate} over more records than one batch holds, on both backends: every
 * record that existed is deleted with a delete change each (what realtime publishes), their files are removed,
 * records created meanwhile are no error, and the store stays consistent.
 */
class CollectionTruncateTest {
    private static final String DOCS = "{\"name\":\"docs\",\"fields\":[{\"name\":\"title\",\"type\":\"text\"},"
            + "{\"name\":\"files\",\"type\":\"file\",\"maxSelect\":5}]}";
    private static final int BULK = 450;

    static Stream<String> backends() {
        return Stream.of("lmdb", TestServer.POSTGRES);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void truncateDeletesEveryRecordWithItsFilesAndEvents(String backend) throws Exception {
        try (TestServer s = TestServer.start(backend.equals("lmdb") ? Map.of() : Map.of(TestServer.BACKEND, backend))) {
            assertThat(s.post("/api/collections", DOCS).statusCode()).isEqualTo(200);
            List<String> files = new ArrayList<>();
            Set<String> existing = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"f\"}",
                        new Part("files", "a.txt", "one".getBytes(StandardCharsets.UTF_8)));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                Map<String, Object> rec = Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
                existing.add((String) rec.get("id"));
                files.add("/api/files/docs/" + rec.get("id") + "/" + ((List<?>) rec.get("files")).get(0));
            }
            for (String f : files) assertThat(Uploads.get(s, f).statusCode()).isEqualTo(200);
            for (int chunk = 0; chunk < BULK / 150; chunk++) {
                List<WriteOp> ops = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    String now = Times.now();
                    Record r = new Record(Ids.newId(), now, now, 1, Map.of("title", "bulk"));
                    existing.add(r.id());
                    ops.add(new WriteOp.Create("docs", r));
                }
                s.store().write(ops).join();
            }
            Set<String> deleted = ConcurrentHashMap.newKeySet();
            s.store().addChangeListener(changes -> {
                for (Change c : changes) {
                    if (c.action() == Change.Action.DELETE && c.collection().equals("docs")) deleted.add(c.record().id());
                }
            });
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger concurrentFailures = new AtomicInteger();
            Thread creator = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    if (s.post("/api/collections/docs/records", "{\"title\":\"meanwhile\"}").statusCode() != 200) {
                        concurrentFailures.incrementAndGet();
                    }
                }
            });
            HttpResponse<String> truncated = s.delete("/api/collections/docs/truncate");
            running.set(false);
            creator.join();
            assertThat(truncated.statusCode()).as(truncated.body()).isEqualTo(204);
            assertThat(concurrentFailures.get()).as("creates while the truncate runs").isZero();

            assertThat(s.store().getAll("docs", existing)).as("records that existed before the truncate").isEmpty();
            Eventually.holds(() -> assertThat(deleted).as("a delete change per record").containsAll(existing));
            for (String f : files) Eventually.holds(() -> assertThat(status(s, f)).isEqualTo(404));
            assertThat(s.post("/api/collections/docs/records", "{\"title\":\"after\"}").statusCode()).isEqualTo(200);
            assertThat(s.store().check().problems()).isEmpty();
        }
    }

    private static int status(TestServer s, String path) {
        try {
            return Uploads.get(s, path).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
