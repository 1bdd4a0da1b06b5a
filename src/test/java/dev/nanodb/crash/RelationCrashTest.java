package dev.nanodb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.PgTestDatabase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a server with SIGKILL while clients create posts, comments and likes that reference authors and delete
 * authors, each delete cascading through the author's posts to their comments and unsetting the likes that
 * point at the author. After the restart: the consistency check (which names every id that points at no record)
 * is clean; an acknowledged author delete took all of its cascade with it (no acknowledged post of that author,
 * no acknowledged comment of those posts is left, and the author's acknowledged likes hold no author); an
 * acknowledged post, comment or like whose target is still there is there itself. So a delete whose cascade
 * committed apart from it, or a write that committed pointing at a deleted record, fails the test.
 */
class RelationCrashTest {
    private static final String RULES = "'listRule':'','viewRule':'','createRule':'','updateRule':'','deleteRule':''";
    private static final List<String> COLLECTIONS = List.of(
            "{'name':'authors','fields':[{'name':'name','type':'text'}]," + RULES + "}",
            "{'name':'posts','fields':[{'name':'author','type':'relation','collectionId':'authors','cascadeDelete':true,"
                    + "'required':true},{'name':'title','type':'text'}]," + RULES + "}",
            "{'name':'comments','fields':[{'name':'post','type':'relation','collectionId':'posts','cascadeDelete':true},"
                    + "{'name':'body','type':'text'}]," + RULES + "}",
            "{'name':'likes','fields':[{'name':'author','type':'relation','collectionId':'authors'}]," + RULES + "}");
    private static final int CLIENTS = 16;

    @TempDir
    Path work;

    @Test
    void lmdbCascadesCommitWholeThroughSigkill() throws Exception {
        Path dir = Files.createDirectories(work.resolve("lmdb"));
        run(dir, Map.of());
    }

    @Test
    void postgresCascadesCommitWholeThroughSigkill() throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create("relcrash")) {
            Path dir = Files.createDirectories(work.resolve("postgres"));
            run(dir, Map.of("DATABASE_URL", "postgres://postgres@" + db.jdbcUrl().substring("jdbc:postgresql://".length())));
        }
    }

    /** What the clients were told: acknowledged records by id (with the id they point at) and acknowledged deletes. */
    private static final class Model {
        final Set<String> authors = ConcurrentHashMap.newKeySet();
        final Map<String, String> posts = new ConcurrentHashMap<>();
        final Map<String, String> comments = new ConcurrentHashMap<>();
        final Map<String, String> likes = new ConcurrentHashMap<>();
        final Set<String> deletedAuthors = ConcurrentHashMap.newKeySet();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger cascades = new AtomicInteger();
        final Sigkill.Flags run = new Sigkill.Flags();
    }

    private void run(Path dir, Map<String, String> env) throws Exception {
        ChildServer.classpath();
        Path data = dir.resolve("data");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("RELATION CRASH seed " + seed);
        Random rnd = new Random(seed);
        Model m = new Model();
        ChildServer server = ChildServer.start(dir, data, "start", env);
        List<Thread> clients = new ArrayList<>();
        try {
            for (String c : COLLECTIONS) server.ok("POST", "/api/collections", c.replace('\'', '"'));
            for (int i = 0; i < 20; i++) m.authors.add((String) server.ok("POST", records("authors"), "{\"name\":\"a\"}").get("id"));
            ChildServer s = server;
            clients.addAll(Sigkill.startClients(CLIENTS, rnd, r -> client(s, m, r)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (m.cascades.get() < 10 && m.errors.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            Thread.sleep(200 + rnd.nextInt(800));
            Sigkill.killAndJoin(server, m.run, clients);
        } finally {
            server.ensureDead();
        }
        assertThat(m.errors).as("failures while the server was up").isEmpty();
        assertThat(m.cascades.get()).as("acknowledged cascading deletes before the kill").isGreaterThanOrEqualTo(10);
        server = ChildServer.start(dir, data, "restart", env);
        try {
            Map<String, Object> report = server.ok("GET", "/api/admin/consistency", null);
            assertThat(report.get("problems")).as("consistency problems").isEqualTo(List.of());
            verify(m, listAll(server, "authors"), listAll(server, "posts"), listAll(server, "comments"), listAll(server, "likes"));
            System.out.printf("RELATION CRASH %d cascading deletes acknowledged, %d posts, %d comments, %d likes; all held%n",
                    m.cascades.get(), m.posts.size(), m.comments.size(), m.likes.size());
            assertThat(server.stop()).as("exit code after SIGTERM").isZero();
        } finally {
            server.ensureDead();
        }
    }

    private static void verify(Model m, Map<String, Map<String, Object>> authors, Map<String, Map<String, Object>> posts,
                               Map<String, Map<String, Object>> comments, Map<String, Map<String, Object>> likes) {
        for (String a : m.deletedAuthors) assertThat(authors).as("acknowledged delete of author %s", a).doesNotContainKey(a);
        m.posts.forEach((post, author) -> {
            if (m.deletedAuthors.contains(author)) assertThat(posts).as("post %s of deleted author %s", post, author).doesNotContainKey(post);
            if (authors.containsKey(author)) assertThat(posts).as("post %s of a present author", post).containsKey(post);
        });
        m.comments.forEach((comment, post) -> {
            if (m.deletedAuthors.contains(m.posts.get(post))) {
                assertThat(comments).as("comment %s under a cascaded post", comment).doesNotContainKey(comment);
            }
            if (posts.containsKey(post)) assertThat(comments).as("comment %s of a present post", comment).containsKey(comment);
        });
        m.likes.forEach((like, author) -> {
            assertThat(likes).as("like %s (likes are never deleted)", like).containsKey(like);
            Object held = likes.get(like).get("author");
            if (m.deletedAuthors.contains(author)) assertThat(held).as("like %s of a deleted author", like).isEqualTo("");
            if (authors.containsKey(author)) assertThat(held).as("like %s of a present author", like).isEqualTo(author);
        });
    }

    /** One client: creates posts, comments and likes on known records, sometimes a new author, sometimes deletes one. */
    private static void client(ChildServer s, Model m, Random rnd) {
        while (!m.run.stopped) {
            try {
                int dice = rnd.nextInt(100);
                List<String> authors = new ArrayList<>(m.authors);
                List<String> posts = new ArrayList<>(m.posts.keySet());
                if (dice < 45 && !authors.isEmpty()) {
                    String a = authors.get(rnd.nextInt(authors.size()));
                    String id = created(s, m, "posts", "{\"author\":\"" + a + "\",\"title\":\"t\"}");
                    if (id != null) m.posts.put(id, a);
                } else if (dice < 80 && !posts.isEmpty()) {
                    String p = posts.get(rnd.nextInt(posts.size()));
                    String id = created(s, m, "comments", "{\"post\":\"" + p + "\",\"body\":\"b\"}");
                    if (id != null) m.comments.put(id, p);
                } else if (dice < 88 && !authors.isEmpty()) {
                    String a = authors.get(rnd.nextInt(authors.size()));
                    String id = created(s, m, "likes", "{\"author\":\"" + a + "\"}");
                    if (id != null) m.likes.put(id, a);
                } else if (dice < 94) {
                    String id = created(s, m, "authors", "{\"name\":\"n\"}");
                    if (id != null) m.authors.add(id);
                } else if (!authors.isEmpty()) {
                    String a = authors.get(rnd.nextInt(authors.size()));
                    HttpResponse<String> r = s.send("DELETE", records("authors") + "/" + a, null);
                    if (r.statusCode() == 200) {
                        m.authors.remove(a);
                        m.deletedAuthors.add(a);
                        m.cascades.incrementAndGet();
                    } else if (r.statusCode() != 404) {
                        m.errors.add("DELETE author: HTTP " + r.statusCode() + " " + r.body());
                    }
                }
            } catch (IOException | InterruptedException e) {
                if (!m.run.killing) m.errors.add(e.toString());
                return;
            }
        }
    }

    /**
     * The id of a created record; null when the create was refused because its target was deleted meanwhile (the
     * one refusal a correct server gives here).
     */
    private static String created(ChildServer s, Model m, String collection, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = s.send("POST", records(collection), body);
        if (r.statusCode() == 200) return (String) Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("id");
        if (r.statusCode() != 400 || !r.body().contains("validation_missing_rel_records")) {
            m.errors.add("POST " + collection + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return null;
    }

    private static String records(String collection) {
        return "/api/collections/" + collection + "/records";
    }

    private static Map<String, Map<String, Object>> listAll(ChildServer s, String collection) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (int page = 1; ; page++) {
            Map<String, Object> p = s.ok("GET", records(collection) + "?perPage=1000&page=" + page, null);
            @SuppressWarnings("unchecked") List<Map<String, Object>> items = (List<Map<String, Object>>) p.get("items");
            for (Map<String, Object> r : items) out.put((String) r.get("id"), r);
            if (items.size() < 1000) return out;
        }
    }
}
