package dev.nanodb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.PgTestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a server with SIGKILL while it truncates a collection of thousands of records that other collections point
 * at ({@code posts.author} cascades, {@code likes.author} is emptied). A truncate is a series of bounded write
 * transactions, each deleting a batch with its cascade; after the restart the consistency check (which names every
 * id pointing at no record, so also a like still holding a deleted author) is clean, a post is left exactly for each
 * author left, and truncating again finishes the job.
 */
class TruncateCrashTest {
    /** Open rules, so the restart's reads need no login; the collections under test: authors and two relations. */
    private static final String OPEN = "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''";
    private static final String TO_AUTHORS = "{'name':'author','type':'relation','collectionId':'authors'";
    private static final List<String> COLLECTIONS = List.of(def("authors", "{'name':'name','type':'text'}"),
            def("posts", TO_AUTHORS + ",'cascadeDelete':true,'required':true}"), def("likes", TO_AUTHORS + "}"));
    private static final int AUTHORS = 3000;
    private static final int BATCH = 500;

    @TempDir
    Path work;

    @Test
    void lmdbTruncateKilledPartWayLeavesAConsistentStore() throws Exception {
        run(Files.createDirectories(work.resolve("lmdb")), Map.of());
    }

    @Test
    void postgresTruncateKilledPartWayLeavesAConsistentStore() throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create("trunccrash")) {
            run(Files.createDirectories(work.resolve("postgres")),
                    Map.of("DATABASE_URL", "postgres://postgres@" + db.jdbcUrl().substring("jdbc:postgresql://".length())));
        }
    }

    private void run(Path dir, Map<String, String> baseEnv) throws Exception {
        ChildServer.classpath();
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("MAX_BATCH_SIZE", String.valueOf(BATCH));
        Path data = dir.resolve("data");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("TRUNCATE CRASH seed " + seed);
        Random rnd = new Random(seed);
        ChildServer server = ChildServer.start(dir, data, "start", env);
        try {
            for (String c : COLLECTIONS) server.ok("POST", "/api/collections", c);
            List<String> authors = createAll(server, "authors", AUTHORS, i -> "{\"name\":\"a" + i + "\"}");
            createAll(server, "posts", AUTHORS, i -> "{\"author\":\"" + authors.get(i) + "\"}");
            createAll(server, "likes", AUTHORS / 4, i -> "{\"author\":\"" + authors.get(rnd.nextInt(AUTHORS)) + "\"}");
            ChildServer s = server;
            CompletableFuture<HttpResponse<String>> truncate = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.send("DELETE", "/api/collections/authors/truncate", null);
                } catch (Exception e) {
                    return null; // the kill
                }
            });
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (total(server, "authors") > AUTHORS - 400 && !truncate.isDone() && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(rnd.nextInt(50));
            assertThat(truncate.isDone()).as("the truncate still runs when the server is killed").isFalse();
            server.kill();
        } finally {
            server.ensureDead();
        }
        server = ChildServer.start(dir, data, "restart", env);
        try {
            Map<String, Object> report = server.ok("GET", "/api/admin/consistency", null);
            assertThat(report.get("problems")).as("consistency problems").isEqualTo(List.of());
            long left = total(server, "authors");
            assertThat(left).as("authors left after the kill").isBetween(1L, AUTHORS - 200L);
            assertThat(total(server, "posts")).as("a post per author left: each batch cascaded whole").isEqualTo(left);
            System.out.printf("TRUNCATE CRASH killed with %d of %d authors left%n", left, AUTHORS);
            assertThat(server.send("DELETE", "/api/collections/authors/truncate", null).statusCode()).isEqualTo(204);
            assertThat(total(server, "authors")).isZero();
            assertThat(total(server, "posts")).isZero();
            assertThat(total(server, "likes")).isEqualTo(AUTHORS / 4);
            assertThat(server.stop()).as("exit code after SIGTERM").isZero();
        } finally {
            server.ensureDead();
        }
    }

    private static String def(String name, String field) {
        return ("{'name':'" + name + "','fields':[" + field + "]," + OPEN + "}").replace('\'', '"');
    }

    /** Creates {@code n} records through POST /api/batch; returns their ids in order. */
    private static List<String> createAll(ChildServer s, String collection, int n, java.util.function.IntFunction<String> body) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < n; from += BATCH) {
            StringBuilder req = new StringBuilder("{\"requests\":[");
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                if (i > from) req.append(',');
                req.append("{\"method\":\"POST\",\"url\":\"/api/collections/").append(collection).append("/records\",\"body\":")
                        .append(body.apply(i)).append('}');
            }
            String answer = sendOk(s, "/api/batch", req.append("]}").toString());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\":\"([a-z0-9]{15})\"").matcher(answer);
            while (m.find()) ids.add(m.group(1));
        }
        assertThat(ids).hasSize(n);
        return ids;
    }

    private static String sendOk(ChildServer s, String path, String body) {
        try {
            HttpResponse<String> r = s.send("POST", path, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long total(ChildServer s, String collection) {
        return ((Number) s.ok("GET", "/api/collections/" + collection + "/records?perPage=1", null).get("totalItems")).longValue();
    }
}
