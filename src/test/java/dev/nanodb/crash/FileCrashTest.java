package dev.nanodb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileService;
import dev.nanodb.files.FileStorage;
import dev.nanodb.files.local.LocalFileStorage;
import dev.nanodb.json.Json;
import dev.nanodb.store.lmdb.LmdbStore;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.Multipart;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Kills a server (LMDB, local file storage) with SIGKILL while clients upload files into new records, append and
 * remove files and delete records, each client on its own records. After the restart: every file a record names
 * reads back byte for byte (what was uploaded under that name); every acknowledged file of a record no request was
 * in flight for is still named and intact; acknowledged deletes hold. Then, offline, the sweep (as the server runs
 * it hourly) leaves exactly the named files: a crash leaves only unreferenced files, and the sweep takes them.
 */
class FileCrashTest {
    private static final String DOCS = "{\"name\":\"docs\",\"listRule\":\"\",\"viewRule\":\"\",\"createRule\":\"\","
            + "\"updateRule\":\"\",\"deleteRule\":\"\",\"fields\":[{\"name\":\"files\",\"type\":\"file\",\"maxSelect\":5}]}";
    private static final int CLIENTS = 8;

    @TempDir
    Path work;

    /** What clients were told: each record's files (stored name → bytes), deleted records, records in doubt. */
    private static final class Model {
        final Map<String, Map<String, byte[]>> acked = new ConcurrentHashMap<>();
        final Map<String, byte[]> uploaded = new ConcurrentHashMap<>(); // every stored name any answer returned
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger writes = new AtomicInteger();
        final Sigkill.Flags run = new Sigkill.Flags();
    }

    @Test
    void acknowledgedFilesSurviveSigkillAndTheSweepTakesTheRest() throws Exception {
        ChildServer.classpath();
        Path data = work.resolve("data");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("FILE CRASH seed " + seed);
        Random rnd = new Random(seed);
        Model m = new Model();
        ChildServer server = ChildServer.start(work, data, "start", Map.of());
        List<Thread> clients = new ArrayList<>();
        try {
            server.ok("POST", "/api/collections", DOCS);
            ChildServer s = server;
            clients.addAll(Sigkill.startClients(CLIENTS, rnd, r -> client(s, m, r)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (m.writes.get() < 150 && m.errors.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            Sigkill.killAndJoin(server, m.run, clients);
        } finally {
            server.ensureDead();
        }
        assertThat(m.errors).as("failures while the server was up").isEmpty();
        assertThat(m.writes.get()).as("acknowledged writes before the kill").isGreaterThanOrEqualTo(150);
        server = ChildServer.start(work, data, "restart", Map.of());
        Map<String, List<String>> named = new ConcurrentHashMap<>();
        try {
            for (Map<String, Object> r : listAll(server)) {
                String id = (String) r.get("id");
                List<String> files = ((List<?>) r.get("files")).stream().map(String.class::cast).toList();
                named.put(id, files);
                for (String f : files) {
                    HttpResponse<byte[]> got = ChildServer.CLIENT.send(HttpRequest.newBuilder(server.uri("/api/files/docs/" + id + "/" + f))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(got.statusCode()).as("a named file %s of %s is there", f, id).isEqualTo(200);
                    if (m.uploaded.containsKey(f)) assertThat(got.body()).as("bytes of %s", f).isEqualTo(m.uploaded.get(f));
                }
            }
            m.acked.forEach((id, files) -> {
                if (m.inDoubt.contains(id)) return;
                assertThat(named).as("acknowledged record %s", id).containsKey(id);
                assertThat(named.get(id)).as("files of %s", id).containsExactlyInAnyOrderElementsOf(files.keySet());
            });
            for (String id : m.deleted) if (!m.inDoubt.contains(id)) assertThat(named).as("deleted %s", id).doesNotContainKey(id);
            assertThat(server.stop()).as("exit code after SIGTERM").isZero();
        } finally {
            server.ensureDead();
        }
        int swept;
        List<FileKey> left;
        try (LmdbStore store = new LmdbStore(data.toFile(), 1 << 20, 64L << 30, true)) {
            LocalFileStorage storage = new LocalFileStorage(data.resolve("storage"));
            // one leftover for certain (a kill may or may not have caught a write between storing and committing)
            String someRecord = named.keySet().iterator().next();
            storage.put(new FileKey(store.collection("docs").orElseThrow().id(), someRecord, "leftover_abcdefghij.bin"),
                    Files.writeString(work.resolve("leftover.bin"), "x"));
            FileService files = new FileService(storage, store);
            swept = files.sweep(Instant.now().plusSeconds(7200));
            assertThat(swept).as("files swept, the planted leftover included").isGreaterThanOrEqualTo(1);
            left = storage.list("").stream().map(FileStorage.Entry::key).toList();
            files.close();
        }
        Set<String> expected = new HashSet<>();
        named.forEach((id, files) -> files.forEach(f -> expected.add(id + "/" + f)));
        assertThat(left.stream().map(k -> k.recordId() + "/" + k.name()).toList())
                .as("after the sweep, exactly the named files").containsExactlyInAnyOrderElementsOf(expected);
        System.out.printf("FILE CRASH %d writes acknowledged, %d records, %d files named, %d swept%n",
                m.writes.get(), named.size(), expected.size(), swept);
    }

    /** One client on its own records: creates with files, appends, removes, deletes. */
    private static void client(ChildServer s, Model m, Random rnd) {
        List<String> mine = new ArrayList<>();
        while (!m.run.stopped) {
            String current = null;
            try {
                int dice = rnd.nextInt(100);
                if (dice < 40 || mine.isEmpty()) {
                    byte[] a = bytes(rnd);
                    HttpResponse<String> r = s.upload("POST", "/api/collections/docs/records", "{}", new Multipart.Part("files", "f.bin", a));
                    Map<String, Object> rec = answer(m, r, "create");
                    if (rec == null) continue;
                    String id = (String) rec.get("id");
                    String name = (String) ((List<?>) rec.get("files")).get(0);
                    m.uploaded.put(name, a);
                    m.acked.put(id, new ConcurrentHashMap<>(Map.of(name, a)));
                    mine.add(id);
                } else {
                    current = mine.get(rnd.nextInt(mine.size()));
                    m.inDoubt.add(current);
                    Map<String, byte[]> files = m.acked.get(current);
                    if (dice < 70 && files.size() < 5) {
                        byte[] b = bytes(rnd);
                        Map<String, Object> rec = answer(m, s.upload("PATCH", "/api/collections/docs/records/" + current, "{}", new Multipart.Part("files+", "f.bin", b)), "append");
                        if (rec == null) continue;
                        for (Object n : (List<?>) rec.get("files")) if (!files.containsKey(n)) files.put((String) n, b);
                        m.uploaded.putAll(files);
                    } else if (dice < 88 && !files.isEmpty()) {
                        String gone = files.keySet().iterator().next();
                        Map<String, Object> rec = answer(m, s.send("PATCH", "/api/collections/docs/records/" + current,
                                "{\"files-\":[\"" + gone + "\"]}"), "remove");
                        if (rec == null) continue;
                        files.remove(gone);
                    } else {
                        if (answer(m, s.send("DELETE", "/api/collections/docs/records/" + current, null), "delete") == null) continue;
                        m.acked.remove(current);
                        m.deleted.add(current);
                        mine.remove(current);
                    }
                    m.inDoubt.remove(current);
                }
            } catch (IOException | InterruptedException e) {
                if (!m.run.killing) m.errors.add(e.toString());
                return;
            }
        }
    }

    private static Map<String, Object> answer(Model m, HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            m.errors.add(what + ": HTTP " + r.statusCode() + " " + r.body());
            return null;
        }
        m.writes.incrementAndGet();
        return Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(Random rnd) {
        byte[] b = new byte[1 + rnd.nextInt(40_000)];
        rnd.nextBytes(b);
        return b;
    }

    private static List<Map<String, Object>> listAll(ChildServer s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            Map<String, Object> p = s.ok("GET", "/api/collections/docs/records?perPage=1000&page=" + page, null);
            @SuppressWarnings("unchecked") List<Map<String, Object>> items = (List<Map<String, Object>>) p.get("items");
            out.addAll(items);
            if (items.size() < 1000) return out;
        }
    }
}
