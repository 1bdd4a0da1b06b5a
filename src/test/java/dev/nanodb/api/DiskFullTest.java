package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store when space runs out: on a full file system (a 16 MiB tmpfs, mounted by the test; it needs root) and
 * when the LMDB map reaches {@code DB_MAX_SIZE}. Writes answer 507 with a JSON error and store nothing; reads,
 * {@code /health} and the consistency check keep answering; once space returns, writes succeed again.
 *
 * <p>Without permission to mount, the tmpfs test is skipped — unless {@code NANODB_REQUIRE_TMPFS=1} (set by CI),
 * where a skip would hide the test, so it fails instead.
 */
class DiskFullTest {
    private static final String THINGS = "/api/collections/things/records";
    private static final String LARGE = "x".repeat(600_000);
    private Path mountPoint;
    private TestServer server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) server.close();
        if (mountPoint != null) {
            run("umount", mountPoint.toString());
            Files.deleteIfExists(mountPoint);
        }
    }

    @Test
    void aFullDiskRefusesWritesWith507AndKeepsServingReads() throws Exception {
        mountTmpfs();
        server = TestServer.start(Map.of("DB_PATH", mountPoint.resolve("data").toString(), "DB_INITIAL_SIZE", "1MB"));
        Map<String, String> seeded = seed(20);
        Path filler = mountPoint.resolve("filler");
        fill(filler);

        // LMDB reuses the pages earlier commits freed, so a few small writes may still fit: write until one does not
        List<String> acceptedWhileFilling = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 500 && refused == null; i++) {
            HttpResponse<String> r = create("{\"title\":\"attempt " + i + "\"}");
            if (r.statusCode() == 200) acceptedWhileFilling.add(id(r));
            else refused = r;
        }
        assertThat(refused).as("a write must be refused once the disk is full").isNotNull();
        assertStorageFull(refused);
        String refusedTitle = "attempt " + acceptedWhileFilling.size();
        assertStorageFull(create("{\"title\":\"failed large\",\"body\":\"" + LARGE + "\"}"));

        assertReadsWork(seeded, seeded.size() + acceptedWhileFilling.size());

        Files.delete(filler);
        assertThat(create("{\"title\":\"after small\"}").statusCode()).isEqualTo(200);
        assertThat(create("{\"title\":\"after large\",\"body\":\"" + LARGE + "\"}").statusCode()).isEqualTo(200);
        assertThat(server.patch(THINGS + "/" + seeded.keySet().iterator().next(), "{\"n\":-1}").statusCode()).isEqualTo(200);
        assertReadsWork(Map.of(), seeded.size() + acceptedWhileFilling.size() + 2);
        assertThat(total("title ~ 'failed' || title = '" + refusedTitle + "'")).as("nothing of a refused write was stored").isZero();
    }

    @Test
    void aMapAtItsMaximumRefusesWritesWith507UntilRecordsAreDeleted() {
        server = TestServer.start(Map.of("DB_MAX_SIZE", "4MB", "DB_INITIAL_SIZE", "1MB"));
        Map<String, String> seeded = seed(5);
        List<String> large = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            HttpResponse<String> r = create("{\"title\":\"large " + i + "\",\"body\":\"" + LARGE + "\"}");
            if (r.statusCode() == 200) large.add(id(r));
            else refused = r;
        }
        assertThat(refused).as("a write must be refused once the map is at DB_MAX_SIZE").isNotNull();
        assertStorageFull(refused);
        assertStorageFull(create("{\"title\":\"failed large\",\"body\":\"" + LARGE + "\"}"));
        assertReadsWork(seeded, seeded.size() + large.size());

        for (String id : large) assertThat(server.delete(THINGS + "/" + id).statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) assertThat(create("{\"title\":\"small again " + i + "\"}").statusCode()).isEqualTo(200);
        assertReadsWork(seeded, seeded.size() + 10);
        assertThat(total("title ~ 'failed'")).isZero();
    }

    /** Creates {@code n} records; returns id → the record's JSON as first answered. */
    private Map<String, String> seed(int n) {
        assertThat(server.post("/api/collections", "{\"name\":\"things\",\"fields\":[{\"name\":\"title\",\"type\":\"text\"},"
                + "{\"name\":\"n\",\"type\":\"number\",\"indexed\":true},{\"name\":\"body\",\"type\":\"text\"}]}").statusCode())
                .isEqualTo(200);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = create("{\"title\":\"seed " + i + "\",\"n\":" + i + "}");
            assertThat(r.statusCode()).isEqualTo(200);
            out.put(id(r), r.body());
        }
        return out;
    }

    private HttpResponse<String> create(String body) {
        return server.post(THINGS, body);
    }

    private static void assertStorageFull(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
        JsonNode body = json(r.body());
        assertThat(body.path("status").asInt()).isEqualTo(507);
        assertThat(body.path("message").asText()).contains("storage is full");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("java.").doesNotContain("lmdb");
    }

    /** Health, every seeded record as it was, the exact total, and a clean consistency check. */
    private void assertReadsWork(Map<String, String> seeded, long total) {
        assertThat(server.send("GET", "/health", null).statusCode()).isEqualTo(200);
        for (Map.Entry<String, String> e : seeded.entrySet()) {
            HttpResponse<String> r = server.get(THINGS + "/" + e.getKey());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body())).isEqualTo(json(e.getValue()));
        }
        assertThat(total(null)).isEqualTo(total);
        HttpResponse<String> check = server.get("/api/admin/consistency");
        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(json(check.body()).path("clean").asBoolean()).as(check.body()).isTrue();
    }

    private long total(String filter) {
        HttpResponse<String> r = server.get(filter == null ? THINGS + "?perPage=1" : Step.url(THINGS, "perPage", "1", "filter", filter));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body()).path("totalItems").asLong();
    }

    private void mountTmpfs() throws Exception {
        mountPoint = Files.createTempDirectory("nanodb-tmpfs");
        String failure = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint.toString());
        if (failure != null) {
            Files.deleteIfExists(mountPoint);
            mountPoint = null;
            if ("1".equals(System.getenv("NANODB_REQUIRE_TMPFS"))) fail("cannot mount a tmpfs: " + failure);
            assumeTrue(false, "cannot mount a tmpfs (needs root): " + failure);
        }
    }

    /** Writes {@code file} until the file system is full. */
    private static void fill(Path file) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(chunk);
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("space");
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        return p.exitValue() == 0 ? null : output.isBlank() ? "exit " + p.exitValue() : output.strip();
    }

    private static String id(HttpResponse<String> r) {
        return json(r.body()).path("id").asText();
    }

    private static JsonNode json(String text) {
        try {
            return ScenarioRunner.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
