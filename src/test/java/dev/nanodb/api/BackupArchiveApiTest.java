package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.files.s3.S3FileStorage;
import dev.nanodb.testing.Archives;
import dev.nanodb.testing.S3TestServer;
import dev.nanodb.testing.TestServer;
import dev.nanodb.testing.Uploads;
import dev.nanodb.testing.Multipart.Part;
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
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups hold the records' files: a restore brings back records and their files together, byte for byte; an
 * earlier version's {@code .mdb} backup still restores (the store only); hostile archives are refused with a 400
 * and change nothing — not the records, not the stored files, nothing outside the backups folder.
 */
class BackupArchiveApiTest {
    private static final String BACKUPS = "/api/backups";
    private static final String DOCS = "/api/collections/docs/records";
    private static final String COLLECTION = "{\"name\":\"docs\",\"fields\":[{\"name\":\"title\",\"type\":\"text\"},"
            + "{\"name\":\"files\",\"type\":\"file\",\"maxSelect\":5,\"maxSize\":10000000}]}";

    /** A record created with files, and the bytes of each stored file by its stored name. */
    private record Uploaded(String id, Map<String, byte[]> files) {}

    private static TestServer start() {
        TestServer s = TestServer.start();
        assertThat(s.post("/api/collections", COLLECTION).statusCode()).isEqualTo(200);
        return s;
    }

    private static Uploaded upload(TestServer s, String title, byte[]... contents) throws Exception {
        Part[] parts = new Part[contents.length];
        for (int i = 0; i < contents.length; i++) parts[i] = new Part("files", title + i + ".bin", contents[i]);
        HttpResponse<String> r = Uploads.send(s.baseUrl(), s.superuserToken(), "POST", DOCS, "{\"title\":\"" + title + "\"}", parts);
        JsonNode rec = json(r);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < contents.length; i++) files.put(rec.get("files").get(i).asText(), contents[i]);
        return new Uploaded(rec.get("id").asText(), files);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aRestoreBringsBackARecordAndItsFilesByteForByte() throws Exception {
        try (TestServer s = start()) {
            Uploaded kept = upload(s, "kept", random(300_000, 1), "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(s.post(BACKUPS, "{\"name\":\"b.zip\"}").statusCode()).isEqualTo(204);
            Path archive = s.dataDir().resolve("backups/b.zip");
            String folder = "storage/" + collectionId(s) + "/" + kept.id() + "/";
            assertThat(Archives.names(archive)).first().isEqualTo("data.mdb");
            for (var f : kept.files().entrySet()) assertThat(Archives.entry(archive, folder + f.getKey())).isEqualTo(f.getValue());

            Uploaded later = upload(s, "later", random(70_000, 2));
            assertThat(s.delete(DOCS + "/" + kept.id()).statusCode()).isIn(200, 204);
            awaitStored(s, Set.of(), kept.id());
            assertThat(s.post(BACKUPS + "/b.zip/restore", null).statusCode()).isEqualTo(204);

            assertThat(json(s.get(DOCS + "/" + kept.id())).get("title").asText()).isEqualTo("kept");
            assertServed(s, kept);
            assertThat(s.get(DOCS + "/" + later.id()).statusCode()).isEqualTo(404);
            assertThat(download(s, later.id(), later.files().keySet().iterator().next()).statusCode()).isEqualTo(404);

            String pre = json(s.get(BACKUPS)).get(0).get("key").asText();
            assertThat(pre).matches("nanodb_pre_restore_\\d{17}\\.zip");
            List<String> preEntries = Archives.names(s.dataDir().resolve("backups/" + pre));
            assertThat(preEntries).as("the data before the restore, with its files but not those the restore added")
                    .contains("storage/" + collectionId(s) + "/" + later.id() + "/" + later.files().keySet().iterator().next())
                    .noneMatch(n -> n.contains(kept.id()));

            assertThat(s.post(BACKUPS + "/" + pre + "/restore", null).statusCode()).isEqualTo(204);
            assertServed(s, later);
            assertThat(s.get(DOCS + "/" + kept.id()).statusCode()).isEqualTo(404);
            assertThat(s.store().check().clean()).isTrue();
        }
    }

    /** With S3 storage the archive holds the files too, streamed from the bucket, and a restore puts them back there. */
    @Test
    void withS3StorageTheArchiveHoldsTheFilesAndARestorePutsThemBack() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        String prefix = "b" + System.nanoTime() + "/";
        S3FileStorage bucket = new S3FileStorage(new S3FileStorage.Settings(s3.endpoint(), S3TestServer.BUCKET,
                "us-east-1", S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, prefix, true));
        try (TestServer s = TestServer.start(Map.of("S3_BUCKET", S3TestServer.BUCKET, "S3_ENDPOINT", s3.endpoint(),
                "S3_ACCESS_KEY", S3TestServer.ACCESS_KEY, "S3_SECRET", S3TestServer.SECRET_KEY,
                "S3_FORCE_PATH_STYLE", "true", "S3_PREFIX", prefix))) {
            assertThat(s.post("/api/collections", COLLECTION).statusCode()).isEqualTo(200);
            Uploaded kept = upload(s, "kept", random(40_000, 6));
            assertThat(s.post(BACKUPS, "{\"name\":\"s3.zip\"}").statusCode()).isEqualTo(204);
            String name = kept.files().keySet().iterator().next();
            assertThat(Archives.names(s.dataDir().resolve("backups/s3.zip"))).anyMatch(n -> n.endsWith(kept.id() + "/" + name));
            assertThat(s.delete(DOCS + "/" + kept.id()).statusCode()).isIn(200, 204);
            for (int i = 0; i < 100 && !bucket.list("").isEmpty(); i++) Thread.sleep(50);
            assertThat(bucket.list("")).as("the deleted record's file left the bucket").isEmpty();
            assertThat(s.post(BACKUPS + "/s3.zip/restore", null).statusCode()).isEqualTo(204);
            assertServed(s, kept);
        }
    }

    @Test
    void anEarlierVersionsMdbBackupIsListedDownloadedRestoredAndDeleted() throws Exception {
        try (TestServer s = start()) {
            Uploaded before = upload(s, "before", random(5_000, 3));
            byte[] data = backupData(s, "full.zip");
            Files.write(s.dataDir().resolve("backups/old.mdb"), data);
            Uploaded after = upload(s, "after", random(5_000, 4));

            assertThat(s.get(BACKUPS).body()).contains("\"key\":\"old.mdb\"");
            assertThat(Uploads.download(s.baseUrl(), s.superuserToken(), BACKUPS + "/old.mdb").body()).isEqualTo(data);
            assertThat(s.post(BACKUPS + "/old.mdb/restore", null).statusCode()).isEqualTo(204);
            assertServed(s, before);
            assertThat(s.get(DOCS + "/" + after.id()).statusCode()).isEqualTo(404);
            String pre = json(s.get(BACKUPS)).get(0).get("key").asText();
            assertThat(Archives.names(s.dataDir().resolve("backups/" + pre))).anyMatch(n -> n.contains(after.id()));
            assertThat(s.delete(BACKUPS + "/old.mdb").statusCode()).isEqualTo(204);
            assertThat(s.store().check().clean()).isTrue();
        }
    }

    @Test
    void hostileArchivesAreRefusedWithA400AndChangeNothing() throws Exception {
        try (TestServer s = start()) {
            Uploaded kept = upload(s, "kept", random(2_000, 5));
            byte[] data = backupData(s, "ok.zip");
            byte[] whole = Files.readAllBytes(s.dataDir().resolve("backups/ok.zip"));
            Set<String> stored = awaitStored(s, null, null);
            Map<String, byte[]> hostile = hostile(data, whole);
            for (var c : hostile.entrySet()) {
                Files.write(s.dataDir().resolve("backups/bad.zip"), c.getValue());
                HttpResponse<String> r = s.post(BACKUPS + "/bad.zip/restore", null);
                assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
                assertThat(r.body()).as(c.getKey()).contains("cannot be restored").contains("\"key\"")
                        .contains("validation_invalid_backup");
                assertThat(awaitStored(s, null, null)).as(c.getKey() + ": the stored files").isEqualTo(stored);
                assertThat(list(s.dataDir().resolve("backups"))).as(c.getKey()).containsExactlyInAnyOrder("ok.zip", "bad.zip");
                assertThat(list(s.dataDir().getParent())).as(c.getKey() + ": nothing beside the data folder").containsExactly("data");
                assertThat(list(s.dataDir())).as(c.getKey() + ": nothing staged left")
                        .containsExactlyInAnyOrder("data.mdb", "lock.mdb", "backups", "storage", "uploads", "logs");
                assertServed(s, kept);
            }
            assertThat(json(s.get(DOCS)).get("totalItems").asInt()).isEqualTo(1);
            assertThat(s.store().check().clean()).isTrue();
        }
    }

    /** Archives that must be refused, by what is wrong with them; {@code data} is a real store snapshot. */
    private static Map<String, byte[]> hostile(byte[] data, byte[] whole) throws IOException {
        byte[] file = "x".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : List.of("../evil", "/evil", "storage/../../evil", "storage/c/../../evil", "storage/c/r/n/evil",
                "storage/.c/r/n", "storage\\c\\r\\n", "storage/c/r/n/", "C:/evil", "evil.txt", "storage/c/r/n\u0000x",
                "storage/c/r/" + "n".repeat(301), "storage/c/r/.n", "./data.mdb", "data.mdb/")) {
            out.put("entry " + name, Archives.zip(entries("data.mdb", data, name, file)));
        }
        out.put("no data.mdb", Archives.zip(Map.of("storage/c/r/n", file)));
        out.put("data.mdb twice", renamed(Archives.zip(entries("data.mdb", data, "data.mdX", data)), "data.mdX", "data.mdb"));
        out.put("a file twice", renamed(Archives.zip(entries("data.mdb", data, "storage/c/r/n", file, "storage/c/r/X", file)),
                "storage/c/r/X", "storage/c/r/n"));
        out.put("not a zip", new byte[] {'P', 'K', 3, 4, 9, 9, 9, 9, 9});
        out.put("garbage", "plain text, not an archive".getBytes(StandardCharsets.UTF_8));
        out.put("truncated", java.util.Arrays.copyOf(whole, whole.length / 2));
        out.put("data.mdb is garbage", Archives.zip(entries("data.mdb", new byte[64 * 1024], "storage/c/r/n", file)));
        return out;
    }

    private static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        return m;
    }

    /** The archive with an entry renamed in its headers ({@code to}, as long as {@code from}: a duplicate name). */
    private static byte[] renamed(byte[] zip, String from, String to) {
        return new String(zip, StandardCharsets.ISO_8859_1).replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Takes the backup {@code key} and returns its store part. */
    private static byte[] backupData(TestServer s, String key) throws IOException {
        assertThat(s.post(BACKUPS, "{\"name\":\"" + key + "\"}").statusCode()).isEqualTo(204);
        return Archives.entry(s.dataDir().resolve("backups/" + key), "data.mdb");
    }

    private static void assertServed(TestServer s, Uploaded u) throws Exception {
        for (var f : u.files().entrySet()) {
            HttpResponse<byte[]> got = download(s, u.id(), f.getKey());
            assertThat(got.statusCode()).as(f.getKey()).isEqualTo(200);
            assertThat(got.body()).as(f.getKey()).isEqualTo(f.getValue());
        }
    }

    private static HttpResponse<byte[]> download(TestServer s, String id, String name) throws Exception {
        return Uploads.download(s.baseUrl(), s.superuserToken(), "/api/files/docs/" + id + "/" + name);
    }

    /**
     * The stored files (paths under {@code storage/}); with {@code expected}, waits up to 5 s until the files of
     * {@code recordId} are exactly those (removals run after the commit, off the request).
     */
    private static Set<String> awaitStored(TestServer s, Set<String> expected, String recordId) throws Exception {
        Path root = s.dataDir().resolve("storage");
        for (int i = 0; ; i++) {
            Set<String> all;
            try (Stream<Path> files = Files.walk(root)) {
                all = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
            } catch (java.io.UncheckedIOException removedWhileWalked) { // a folder the server removed meanwhile
                if (i == 100) throw removedWhileWalked;
                Thread.sleep(50);
                continue;
            }
            if (expected == null) return all;
            Set<String> ofRecord = all.stream().filter(p -> p.contains(recordId)).collect(Collectors.toSet());
            if (ofRecord.equals(expected) || i == 100) {
                assertThat(ofRecord).isEqualTo(expected);
                return all;
            }
            Thread.sleep(50);
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static String collectionId(TestServer s) throws IOException {
        return json(s.get("/api/collections/docs")).get("id").asText();
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ScenarioRunner.JSON.readTree(r.body());
    }
}
