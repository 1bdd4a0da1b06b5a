package dev.nanodb.backups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.Archives;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.Uploads;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nanodb backup list | create | restore} run as the real command (a child JVM) on a stopped server's data
 * folder, and refused while a server holds the folder.
 */
class BackupCliTest {

    /** A finished command: its exit code and everything it printed. */
    private record Run(int exit, String output) {}

    private static Run nanodb(Path dir, Path data, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cli", ".out");
        Process p = ChildServer.java(dir, data, args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static String createNote(ChildServer server, String text) throws Exception {
        HttpResponse<String> r = server.send("POST", "/api/collections/notes/records", "{\"text\":\"" + text + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) dev.nanodb.json.Json.parseObject(r.body().getBytes()).get("id");
    }

    @Test
    void createListAndRestoreOnAStoppedFolderAndRefuseARunningOne(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        ChildServer running = ChildServer.start(dir, data, "first");
        String before;
        try {
            before = createNote(running, "before");
            Run refused = nanodb(dir, data, "backup", "create", "snap.zip");
            assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("in use by a running server");
            assertThat(Files.exists(data.resolve("backups/snap.zip"))).isFalse();
        } finally {
            assertThat(running.stop()).isZero();
        }

        Run created = nanodb(dir, data, "backup", "create", "snap.zip");
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).contains("created").contains("snap.zip");
        Run listed = nanodb(dir, data, "backup", "list");
        assertThat(listed.exit()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("snap.zip\t");

        ChildServer second = ChildServer.start(dir, data, "second");
        String after;
        try {
            after = createNote(second, "after");
            Run restoreRefused = nanodb(dir, data, "backup", "restore", data.resolve("backups/snap.zip").toString());
            assertThat(restoreRefused.exit()).as(restoreRefused.output()).isEqualTo(1);
            assertThat(restoreRefused.output()).contains("in use");
        } finally {
            assertThat(second.stop()).isZero();
        }

        Path garbage = dir.resolve("garbage.mdb");
        Files.write(garbage, new byte[20_000]);
        Run bad = nanodb(dir, data, "backup", "restore", garbage.toString());
        assertThat(bad.exit()).as(bad.output()).isEqualTo(1);
        assertThat(bad.output()).contains("cannot be restored");

        Path outside = dir.resolve("copy.zip");
        Files.copy(data.resolve("backups/snap.zip"), outside);
        Run restored = nanodb(dir, data, "backup", "restore", outside.toString());
        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("restored").contains("nanodb_pre_restore_");
        Run check = nanodb(dir, data, "check");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(nanodb(dir, data, "backup", "list").output()).contains("nanodb_pre_restore_").contains("snap.zip");

        ChildServer third = ChildServer.start(dir, data, "third");
        try {
            assertThat(third.send("GET", "/api/collections/notes/records/" + before, null).statusCode()).isEqualTo(200);
            assertThat(third.send("GET", "/api/collections/notes/records/" + after, null).statusCode()).isEqualTo(404);
            createNote(third, "new");
        } finally {
            assertThat(third.stop()).isZero();
        }
    }

    /**
     * The command line archives the records' files as the API does: a file uploaded, backed up by
     * {@code backup create}, then deleted with its record, is served byte for byte after {@code backup restore}.
     */
    @Test
    void theCommandLineArchivesTheFilesAndItsRestoreBringsThemBack(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        byte[] bytes = new byte[50_000];
        new java.util.Random(11).nextBytes(bytes);
        ChildServer first = ChildServer.start(dir, data, "first");
        String id;
        String name;
        try {
            assertThat(first.send("POST", "/api/collections", "{\"name\":\"docs\",\"fields\":[{\"name\":\"doc\","
                    + "\"type\":\"file\"}]}").statusCode()).isEqualTo(200);
            HttpResponse<String> r = Uploads.send(first.baseUrl(), first.token(), "POST", "/api/collections/docs/records", "{}",
                    new dev.nanodb.testing.Multipart.Part("doc", "report.bin", bytes));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Map<String, Object> rec = dev.nanodb.json.Json.parseObject(r.body().getBytes());
            id = (String) rec.get("id");
            name = (String) rec.get("doc");
        } finally {
            assertThat(first.stop()).isZero();
        }
        Run created = nanodb(dir, data, "backup", "create", "files.zip");
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(Archives.names(data.resolve("backups/files.zip"))).anyMatch(n -> n.endsWith("/" + id + "/" + name));

        ChildServer second = ChildServer.start(dir, data, "second");
        try {
            assertThat(second.send("DELETE", "/api/collections/docs/records/" + id, null).statusCode()).isIn(200, 204);
            for (int i = 0; i < 100 && Files.exists(data.resolve("storage")) && hasFile(data, name); i++) Thread.sleep(50);
            assertThat(hasFile(data, name)).as("the deleted record's file is removed").isFalse();
        } finally {
            assertThat(second.stop()).isZero();
        }
        Run restored = nanodb(dir, data, "backup", "restore", "files.zip");
        assertThat(restored.exit()).as(restored.output()).isZero();

        ChildServer third = ChildServer.start(dir, data, "third");
        try {
            HttpResponse<byte[]> got = Uploads.download(third.baseUrl(), null, "/api/files/docs/" + id + "/" + name);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(bytes);
        } finally {
            assertThat(third.stop()).isZero();
        }
    }

    private static boolean hasFile(Path data, String name) throws IOException {
        try (var all = Files.walk(data.resolve("storage"))) {
            return all.anyMatch(p -> p.getFileName().toString().equals(name));
        }
    }

    @Test
    void wrongUsageIsExitTwoWithTheUsageLine(@TempDir Path dir) throws Exception {
        Run r = nanodb(dir, dir.resolve("data"), "backup", "restore");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("usage: nanodb backup list | backup create [NAME] | backup restore FILE");
    }
}
