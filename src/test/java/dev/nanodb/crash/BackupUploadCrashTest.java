package dev.nanodb.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import dev.nanodb.testing.Archives;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.Multipart;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a server (LMDB) with SIGKILL while a client uploads backup archives one after another
 * ({@code POST /api/backups/upload}) and another sends a large upload slowly. After the restart: every acknowledged
 * upload is listed and reads back byte for byte; every listed key is a complete archive (each entry's CRC checked);
 * the slow upload left no key; nothing is left in {@code DB_PATH/uploads}.
 */
class BackupUploadCrashTest {
    @TempDir
    Path work;

    @Test
    void anUploadIsKeptWholeOrNotAtAllAcrossSigkill() throws Exception {
        ChildServer.classpath();
        Path data = work.resolve("data");
        ChildServer server = ChildServer.start(work, data, "start", Map.of());
        byte[] archive;
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<String> errors = new CopyOnWriteArrayList<>();
        AtomicLong slowSent = new AtomicLong();
        Sigkill.Flags run = new Sigkill.Flags();
        List<Thread> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) server.ok("POST", "/api/collections/notes/records", "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(2000) + "\"}");
            assertThat(server.send("POST", "/api/backups", "{\"name\":\"seed.zip\"}").statusCode()).isEqualTo(204);
            archive = ChildServer.CLIENT.send(HttpRequest.newBuilder(server.uri("/api/backups/seed.zip"))
                    .header("Authorization", server.token()).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            ChildServer s = server;
            clients.add(Thread.ofPlatform().start(() -> uploads(s, archive, acked, errors, run)));
            clients.add(Thread.ofPlatform().start(() -> slowUpload(s, slowSent, run)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((acked.size() < 5 || slowSent.get() < (2 << 20)) && errors.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            Sigkill.killAndJoin(server, run, clients);
        } finally {
            server.ensureDead();
        }
        assertThat(errors).as("failures while the server was up").isEmpty();
        assertThat(acked).as("uploads acknowledged before the kill").hasSizeGreaterThanOrEqualTo(5);
        assertThat(slowSent.get()).as("bytes of the slow upload sent before the kill").isGreaterThanOrEqualTo(2 << 20);

        server = ChildServer.start(work, data, "restart", Map.of());
        try {
            List<?> listed = (List<?>) Json.parse(server.send("GET", "/api/backups", null).body().getBytes(StandardCharsets.UTF_8));
            List<String> keys = listed.stream().map(b -> (String) ((Map<?, ?>) b).get("key")).toList();
            assertThat(keys).containsAll(acked).doesNotContain("slow.zip");
            for (String key : keys) {
                Path file = data.resolve("backups").resolve(key);
                assertThat(Archives.names(file)).as("%s is a whole archive", key).contains("data.mdb");
                if (!key.equals("seed.zip") && !key.startsWith("nanodb_")) {
                    assertThat(Files.readAllBytes(file)).as("%s holds what was uploaded", key).isEqualTo(archive);
                }
            }
            try (var left = Files.list(data.resolve("uploads"))) {
                assertThat(left.toList()).as("nothing left of the uploads in flight").isEmpty();
            }
            assertThat(server.stop()).isZero();
        } finally {
            server.ensureDead();
        }
        System.out.printf("BACKUP UPLOAD CRASH %d uploads acknowledged, %d bytes of the slow one sent%n", acked.size(), slowSent.get());
    }

    private static void uploads(ChildServer s, byte[] archive, Set<String> acked, List<String> errors, Sigkill.Flags run) {
        for (int i = 0; !run.stopped; i++) {
            String name = "up_" + i + ".zip";
            try {
                HttpResponse<String> r = s.upload("POST", "/api/backups/upload", "{}", new Multipart.Part("file", name, archive));
                if (r.statusCode() == 204) acked.add(name);
                else if (!run.killing) errors.add(name + ": " + r.statusCode() + " " + r.body());
            } catch (IOException killed) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A 64 MiB upload announced whole and sent 256 KiB at a time, slowly, until the server dies. */
    private static void slowUpload(ChildServer s, AtomicLong sent, Sigkill.Flags run) {
        String boundary = "----slow" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        long length = head.length + (64L << 20) + ("\r\n--" + boundary + "--\r\n").length();
        try (Socket socket = new Socket("127.0.0.1", s.uri("/").getPort()); OutputStream out = socket.getOutputStream()) {
            out.write(("POST /api/backups/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + s.token()
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(head);
            byte[] chunk = new byte[256 * 1024];
            while (!run.stopped) {
                if (sent.get() + chunk.length < (64L << 20)) { // never the whole body: the server dies mid-upload
                    out.write(chunk);
                    out.flush();
                    sent.addAndGet(chunk.length);
                }
                Thread.sleep(20);
            }
        } catch (IOException killed) {
            // the server died under it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
