package dev.nanodb.api;

import static dev.nanodb.api.Fixtures.record;
import static dev.nanodb.api.Step.collection;
import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.delete;
import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.realtime.SseClient;
import dev.nanodb.testing.Archives;
import dev.nanodb.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The backup routes, {@code /api/operations}, and restores of real, garbage and truncated files. */
class BackupApiTest {
    private static final String BACKUPS = "/api/backups";
    private static final String PB_DATE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final String LOGIN = "/api/collections/users/auth-with-password";

    @TestFactory
    Stream<DynamicTest> backups() {
        return ScenarioRunner.tests(scenarios());
    }

    private static Step backup(String name) {
        return post(BACKUPS, name == null ? "{}" : "{'name':'" + name + "'}");
    }

    private static Step login(String who) {
        return post(LOGIN, "{'identity':'" + who + "@example.com','password':'password123'}").as("anon");
    }

    static List<Scenario> scenarios() {
        List<Step> everyRoute = List.of(get(BACKUPS), backup(null), get(BACKUPS + "/a.mdb"), delete(BACKUPS + "/a.mdb"),
                post(BACKUPS + "/a.mdb/restore", "{}"), get("/api/operations"));
        Stream<Scenario> anonymous = everyRoute.stream().map(s -> Scenario.named("anonymous " + s + " is 401")
                .when(s.as("anon").expect(401)).then(get(BACKUPS).size("", 0)));
        Stream<Scenario> users = everyRoute.stream().map(s -> Scenario.named("a user's " + s + " is 403").users("alice")
                .when(s.as("alice").expect(403)).then(get(BACKUPS).size("", 0)));
        Stream<Scenario> badNames = Stream.of("Upper.zip", "a/b.zip", "../x.zip", "x.mdb", "noext", "", "a b.zip",
                        "x".repeat(147) + ".zip")
                .map(n -> Scenario.named("the backup name '" + (n.length() > 20 ? n.substring(0, 20) + "…" : n) + "' is 400 on name")
                        .when(backup(n).expect(400).present("/data/name/code").present("/data/name/message"))
                        .then(get(BACKUPS).size("", 0)));
        return Stream.of(anonymous, users, badNames, Stream.of(
                Scenario.named("a name that is not a string is 400 on name")
                        .when(post(BACKUPS, "{'name':5}").expect(400).present("/data/name/code")),
                Scenario.named("a 150-character name is accepted")
                        .when(backup("x".repeat(146) + ".zip").expect(204))
                        .then(get(BACKUPS).size("", 1).at("/0/key", "x".repeat(146) + ".zip")),
                Scenario.named("a backup without a name is listed with a generated key, its size and a PocketBase date")
                        .given(create("notes", "{'a':1}"))
                        .when(backup(null).expect(204))
                        .then(get(BACKUPS).expect(200).size("", 1).matches("/0/key", "nanodb_backup_\\d{14}\\.zip")
                                .matches("/0/size", "[1-9][0-9]{3,}").matches("/0/modified", PB_DATE)),
                Scenario.named("an empty body also creates a backup")
                        .when(post(BACKUPS, null).expect(204))
                        .then(get(BACKUPS).size("", 1)),
                Scenario.named("backups are listed newest first")
                        .given(backup("first.zip"), backup("second.zip"))
                        .when(get(BACKUPS).expect(200).size("", 2).at("/0/key", "second.zip").at("/1/key", "first.zip")),
                Scenario.named("a name already taken is 400 on name and the first backup stays")
                        .given(backup("same.zip"))
                        .when(backup("same.zip").expect(400).present("/data/name/code"))
                        .then(get(BACKUPS).size("", 1)),
                Scenario.named("DELETE removes a backup (204), then it is 404")
                        .given(backup("gone.zip"), backup("kept.zip"))
                        .when(delete(BACKUPS + "/gone.zip").expect(204))
                        .then(get(BACKUPS).size("", 1).at("/0/key", "kept.zip"), delete(BACKUPS + "/gone.zip").expect(404),
                                get(BACKUPS + "/gone.zip").expect(404)),
                Scenario.named("download, delete and restore of an unknown key are 404")
                        .when(post(BACKUPS + "/nothing.mdb/restore", null).expect(404))
                        .then(get(BACKUPS + "/nothing.mdb").expect(404), delete(BACKUPS + "/nothing.mdb").expect(404),
                                get(BACKUPS + "/..%2Fdata.mdb").expect(404)),
                Scenario.named("a restore brings back the data of the backup and keeps the data before it as a backup")
                        .users("alice")
                        .given(create("notes", "{'n':'before'}"), backup("b1.zip"), create("notes", "{'n':'after'}"),
                                patch(record("notes", "{id1}"), "{'n':'changed'}"), create("late", "{'x':1}"),
                                Step.create("users", "{'email':'bob@example.com','password':'password123',"
                                        + "'passwordConfirm':'password123'}"))
                        .when(post(BACKUPS + "/b1.zip/restore", null).expect(204))
                        .then(get(record("notes", "{id1}")).expect(200).at("/n", "before").at("/_version", 1),
                                get(record("notes", "{id2}")).expect(404),
                                get("/api/collections/late").expect(404),
                                get(BACKUPS).size("", 2).matches("/0/key", "nanodb_pre_restore_\\d{17}\\.zip").at("/1/key", "b1.zip"),
                                login("alice").expect(200).present("/token"), login("bob").expect(400),
                                create("notes", "{'n':'new'}").expect(200), create("late", "{'x':2}").expect(200),
                                Step.list("notes").at("/totalItems", 2), get("/api/admin/consistency").at("/clean", true)),
                Scenario.named("collection definitions and rules come back with a restore")
                        .given(collection("{'name':'docs','listRule':'','fields':[{'name':'t','type':'text'}]}"),
                                backup("b1.zip"), patch("/api/collections/docs", "{'listRule':null}"),
                                Step.list("docs").as("anon").expect(403))
                        .when(post(BACKUPS + "/b1.zip/restore", null).expect(204))
                        .then(Step.list("docs").as("anon").expect(200), get("/api/collections/docs").at("/listRule", "")),
                Scenario.named("/api/operations lists nothing when nothing runs")
                        .when(get("/api/operations").expect(200).size("", 0)),
                Scenario.named("a finished backup is in the operations history with its progress")
                        .given(backup("b1.zip"))
                        .when(get("/api/operations?finished=true").expect(200).size("", 1).at("/0/kind", "backup")
                                .at("/0/label", "backup b1.zip").matches("/0/id", ".+").matches("/0/done", "[1-9][0-9]*")
                                .matches("/0/total", "[1-9][0-9]*").matches("/0/startedAt", PB_DATE)
                                .matches("/0/finishedAt", PB_DATE).at("/0/error", "null")),
                Scenario.named("an index added over existing records reports records done out of total")
                        .given(collection("{'name':'docs','fields':[{'name':'t','type':'text'}]}"),
                                create("docs", "{'t':'a'}"), create("docs", "{'t':'b'}"), create("docs", "{'t':'c'}"))
                        .when(patch("/api/collections/docs", "{'fields':[{'name':'t','type':'text','indexed':true}]}"))
                        .then(get("/api/operations?finished=true").size("", 1).at("/0/kind", "index")
                                .at("/0/label", "index docs.t").at("/0/done", 3).at("/0/total", 3)),
                Scenario.named("a restore is in the operations history with the pre-restore backup")
                        .given(backup("b1.zip"))
                        .when(post(BACKUPS + "/b1.zip/restore", null).expect(204))
                        .then(get("/api/operations?finished=true").size("", 3).at("/0/kind", "restore")
                                .at("/0/label", "restore b1.zip").at("/0/done", 4).at("/0/total", 4)
                                .at("/1/kind", "backup").matches("/1/label", ".*nanodb_pre_restore_.*")))).flatMap(s -> s).toList();
    }

    @Test
    void aDownloadIsTheExactFileAsAnAttachment() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.post("/api/collections/notes/records", "{\"a\":1}");
            assertThat(server.post(BACKUPS, "{\"name\":\"d.zip\"}").statusCode()).isEqualTo(204);
            HttpResponse<byte[]> r = download(server, "d.zip", server.superuserToken());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"d.zip\"");
            byte[] onDisk = Files.readAllBytes(server.dataDir().resolve("backups/d.zip"));
            assertThat(Archives.names(server.dataDir().resolve("backups/d.zip"))).containsExactly("data.mdb");
            assertThat(Arrays.equals(r.body(), onDisk)).as("downloaded bytes equal the file").isTrue();
            assertThat(download(server, "d.zip", null).statusCode()).isEqualTo(401);
        }
    }

    /**
     * The pre-restore backup is the documented way back from a restore: restoring it must bring back exactly the
     * data the first restore replaced — records created and changed after the restored backup, and a collection
     * created after it — not merely exist in the list.
     */
    @Test
    void restoringThePreRestoreBackupUndoesTheRestore() throws Exception {
        try (TestServer server = TestServer.start()) {
            String notes = "/api/collections/notes/records";
            String kept = idOf(server.post(notes, "{\"n\":\"before\"}"));
            assertThat(server.post(BACKUPS, "{\"name\":\"b1.zip\"}").statusCode()).isEqualTo(204);
            String later = idOf(server.post(notes, "{\"n\":\"after\"}"));
            assertThat(server.patch(notes + "/" + kept, "{\"n\":\"changed\"}").statusCode()).isEqualTo(200);
            assertThat(server.post("/api/collections/late/records", "{\"x\":1}").statusCode()).isEqualTo(200);

            assertThat(server.post(BACKUPS + "/b1.zip/restore", null).statusCode()).isEqualTo(204);
            assertThat(server.get(notes + "/" + later).statusCode()).isEqualTo(404);
            assertThat(json(server.get(notes + "/" + kept)).get("n").asText()).isEqualTo("before");
            String pre = null;
            for (JsonNode b : json(server.get(BACKUPS))) {
                if (b.get("key").asText().startsWith("nanodb_pre_restore_")) pre = b.get("key").asText();
            }
            assertThat(pre).as("the pre-restore backup is listed").isNotNull();

            assertThat(server.post(BACKUPS + "/" + pre + "/restore", null).statusCode()).isEqualTo(204);
            JsonNode restoredLater = json(server.get(notes + "/" + later));
            assertThat(restoredLater.get("n").asText()).isEqualTo("after");
            JsonNode restoredKept = json(server.get(notes + "/" + kept));
            assertThat(restoredKept.get("n").asText()).isEqualTo("changed");
            assertThat(restoredKept.get("_version").asInt()).isEqualTo(2);
            assertThat(json(server.get(notes)).get("totalItems").asInt()).isEqualTo(2);
            assertThat(json(server.get("/api/collections/late/records")).get("totalItems").asInt()).isEqualTo(1);
            assertThat(server.store().check().problems()).isEmpty();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ScenarioRunner.JSON.readTree(r.body());
    }

    private static String idOf(HttpResponse<String> created) throws IOException {
        return json(created).get("id").asText();
    }

    @Test
    void aBackupRemovesTheTemporaryFolderOfACopyThatACrashInterrupted() throws Exception {
        try (TestServer server = TestServer.start()) {
            Path leftover = server.dataDir().resolve("backups/.snapshot-123");
            Files.createDirectories(leftover);
            Files.write(leftover.resolve("data.mdb"), new byte[4096]);
            assertThat(server.post(BACKUPS, "{\"name\":\"after.zip\"}").statusCode()).isEqualTo(204);
            assertThat(Files.exists(leftover)).isFalse();
            try (Stream<Path> files = Files.list(server.dataDir().resolve("backups"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("after.zip");
            }
        }
    }

    @Test
    void aGarbageFileIsRefusedAndChangesNothing() throws Exception {
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        refusedRestore(garbage, "not a NanoDB backup");
    }

    @Test
    void aTruncatedBackupIsRefusedAndChangesNothing() throws Exception {
        try (TestServer source = TestServer.start()) {
            for (int i = 0; i < 300; i++) source.post("/api/collections/notes/records", "{\"text\":\"" + "x".repeat(200) + "\"}");
            assertThat(source.post(BACKUPS, "{\"name\":\"full.zip\"}").statusCode()).isEqualTo(204);
            byte[] full = Archives.entry(source.dataDir().resolve("backups/full.zip"), "data.mdb");
            refusedRestore(Arrays.copyOf(full, full.length / 2), "truncated");
        }
    }

    @Test
    void aRealtimeStreamOpenBeforeARestoreGetsTheWritesAfterIt() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.post("/api/collections/notes/records", "{\"a\":1}");
            assertThat(server.post(BACKUPS, "{\"name\":\"r.zip\"}").statusCode()).isEqualTo(204);
            try (SseClient stream = SseClient.open(SseClient.httpClient(), server.baseUrl(), "")) {
                stream.subscribeOk(server.superuserToken(), "notes/*");
                assertThat(server.post(BACKUPS + "/r.zip/restore", null).statusCode()).isEqualTo(204);
                HttpResponse<String> created = server.post("/api/collections/notes/records", "{\"a\":2}");
                String id = ScenarioRunner.JSON.readTree(created.body()).get("id").asText();
                List<SseClient.Event> events = stream.untilRecord(id, java.time.Duration.ofSeconds(10));
                assertThat(events.getLast().action()).isEqualTo("create");
                assertThat(stream.isEnded()).isFalse();
            }
        }
    }

    /** Places {@code content} in the backups folder, restores it: 400 naming the key, and the data is unchanged. */
    private static void refusedRestore(byte[] content, String why) throws IOException {
        try (TestServer server = TestServer.start()) {
            server.post("/api/collections/notes/records", "{\"a\":1}");
            Path folder = server.dataDir().resolve("backups");
            Files.createDirectories(folder);
            Files.write(folder.resolve("bad.mdb"), content);
            HttpResponse<String> r = server.post(BACKUPS + "/bad.mdb/restore", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains(why).contains("\"key\"");
            assertThat(server.get("/api/collections/notes/records").body()).contains("\"totalItems\":1");
            assertThat(server.post("/api/collections/notes/records", "{\"a\":2}").statusCode()).isEqualTo(200);
            assertThat(server.get(BACKUPS).body()).as("no pre-restore backup was taken").doesNotContain("pre_restore");
            assertThat(Files.list(server.dataDir()).map(p -> p.getFileName().toString()))
                    .as("no staged file is left")
                    .containsExactlyInAnyOrder("data.mdb", "lock.mdb", "backups", "storage", "uploads", "logs");
            assertThat(server.store().check().clean()).isTrue();
        }
    }

    private static HttpResponse<byte[]> download(TestServer server, String key, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + BACKUPS + "/" + key)).GET();
        if (token != null) b.header("Authorization", token);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
