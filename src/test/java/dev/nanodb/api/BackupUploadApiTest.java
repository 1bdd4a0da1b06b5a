package dev.nanodb.api;

import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.Archives;
import dev.nanodb.testing.Multipart;
import dev.nanodb.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code POST /api/backups/upload} and downloads with {@code ?token=}, as the PocketBase SDK calls them
 * ({@code pb.backups.upload}, {@code pb.backups.getDownloadURL(fileToken, key)}): an archive downloaded from a server
 * uploads back and restores; an upload is kept only when it is a NanoDB backup under a new valid name (else 400 on
 * {@code file} and nothing is kept); only a superuser's file token opens a download.
 */
class BackupUploadApiTest {
    private static final String BACKUPS = "/api/backups";
    private static final String UPLOAD = BACKUPS + "/upload";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestFactory
    Stream<DynamicTest> routes() {
        return ScenarioRunner.tests(List.of(
                Scenario.named("an upload without a token is 401 and for a user 403, before its body is read").users("alice")
                        .when(post(UPLOAD, "{}").as("anon").expect(401))
                        .then(post(UPLOAD, "{}").as("alice").expect(403), get(BACKUPS).size("", 0)),
                Scenario.named("an upload that is not multipart is 400 on file")
                        .when(post(UPLOAD, "{'file':'x.zip'}").expect(400).at("/data/file/code", "validation_required")),
                Scenario.named("on PostgreSQL an upload is refused as every backup route is")
                        .env(TestServer.BACKEND, TestServer.POSTGRES)
                        .when(get(BACKUPS).expect(400).matches("/message", ".*pg_dump.*")),
                Scenario.named("a download without any credentials is 401, with a token that is not a file token 403").users("alice")
                        .when(get(BACKUPS + "/a.zip").as("anon").expect(401))
                        .then(get(BACKUPS + "/a.zip?token=not-a-token").as("anon").expect(403),
                                get(BACKUPS + "/a.zip").as("alice").expect(403),
                                get(BACKUPS + "/a.zip?token=").as("anon").expect(401))));
    }

    /** A refused upload: its name, its bytes, the error code on {@code file}. */
    private record Refused(String name, String filename, byte[] bytes, String code) {}

    static List<Refused> refusals() throws Exception {
        byte[] zip = Archives.zip(Map.of("data.mdb", "not an LMDB file".getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> traversal = new LinkedHashMap<>();
        traversal.put("data.mdb", new byte[] {1});
        traversal.put("../../evil.txt", new byte[] {2});
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bomb)) {
            Archives.zeros(out, "data.mdb", 64L << 20);
        }
        return List.of(
                new Refused("a capital letter in the name", "Backup.zip", zip, "validation_invalid_backup_name"),
                new Refused("a name with a path", "../x.zip", zip, "validation_invalid_backup_name"),
                new Refused("a name that is not .zip", "x.mdb", zip, "validation_invalid_backup_name"),
                new Refused("the scheduled backups' prefix", "@auto_pb_backup_x.zip", zip, "validation_invalid_backup_name"),
                new Refused("bytes that are no zip", "x.zip", "hello".getBytes(StandardCharsets.UTF_8), "validation_invalid_backup"),
                new Refused("a zip without data.mdb", "x.zip", Archives.zip(Map.of("readme.txt", new byte[] {1})), "validation_invalid_backup"),
                new Refused("a zip with a ../ entry", "x.zip", Archives.zip(traversal), "validation_invalid_backup"),
                new Refused("a zip whose data.mdb is no store", "x.zip", zip, "validation_invalid_backup"),
                new Refused("a zip bomb of 64 MiB of zeros as data.mdb", "x.zip", bomb.toByteArray(), "validation_invalid_backup"));
    }

    @TestFactory
    Stream<DynamicTest> refusedUploadsKeepNothing() throws Exception {
        return refusals().stream().map(r -> DynamicTest.dynamicTest(r.name() + " is 400 on file and keeps nothing", () -> {
            try (TestServer s = TestServer.start()) {
                HttpResponse<String> answer = upload(s, r.filename(), r.bytes(), s.superuserToken());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                assertThat(AdversarialTest.json(answer.body()).at("/data/file/code").asText()).isEqualTo(r.code());
                assertThat(s.get(BACKUPS).body()).isEqualTo("[]");
                try (var left = Files.list(s.dataDir().resolve("uploads"))) {
                    assertThat(left.toList()).as("the upload's temporary file is gone").isEmpty();
                }
                assertThat(Files.exists(s.dataDir().resolve("evil.txt"))).isFalse();
            }
        }));
    }

    /** The PocketBase SDK's round trip: download a backup with a file token, upload it under a new name, restore it. */
    @Test
    void aDownloadedBackupUploadsBackAndRestores() throws Exception {
        try (TestServer s = TestServer.start()) {
            String id = AdversarialTest.json(s.post("/api/collections/notes/records", "{\"n\":\"before\"}").body()).get("id").asText();
            assertThat(s.post(BACKUPS, "{\"name\":\"a.zip\"}").statusCode()).isEqualTo(204);
            String fileToken = AdversarialTest.json(s.asSuperuser("POST", "/api/files/token", null).body()).get("token").asText();
            HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + BACKUPS + "/a.zip?token=" + fileToken))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(Files.readAllBytes(s.dataDir().resolve("backups/a.zip")));

            assertThat(upload(s, "b.zip", download.body(), s.superuserToken()).statusCode()).isEqualTo(204);
            HttpResponse<String> again = upload(s, "b.zip", download.body(), s.superuserToken());
            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(AdversarialTest.json(again.body()).at("/data/file/code").asText()).isEqualTo("validation_backup_name_exists");
            assertThat(AdversarialTest.json(s.get(BACKUPS).body()).findValuesAsText("key")).containsExactlyInAnyOrder("a.zip", "b.zip");
            assertThat(upload(s, "blob", download.body(), s.superuserToken()).statusCode()).as("a Blob without a name").isEqualTo(204);
            assertThat(AdversarialTest.json(s.get(BACKUPS).body()).findValuesAsText("key")).anyMatch(k -> k.matches("nanodb_upload_\\d{14}\\.zip"));

            s.patch("/api/collections/notes/records/" + id, "{\"n\":\"after\"}");
            assertThat(s.post(BACKUPS + "/b.zip/restore", null).statusCode()).isEqualTo(204);
            assertThat(AdversarialTest.json(s.get("/api/collections/notes/records/" + id).body()).get("n").asText()).isEqualTo("before");
        }
    }

    @Test
    void onlyASuperusersFileTokenOpensADownload() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.post(BACKUPS, "{\"name\":\"a.zip\"}").statusCode()).isEqualTo(204);
            s.signUp("bob@example.com");
            String user = s.login("users", "bob@example.com", "password123");
            String userFileToken = AdversarialTest.json(s.send("POST", "/api/files/token", null, "Authorization", user).body())
                    .get("token").asText();
            String superuserAuthToken = s.superuserToken();
            assertThat(plainGet(s, BACKUPS + "/a.zip?token=" + userFileToken)).isEqualTo(403);
            assertThat(plainGet(s, BACKUPS + "/a.zip?token=" + superuserAuthToken)).as("an auth token is no file token").isEqualTo(403);
            assertThat(plainGet(s, BACKUPS + "/a.zip")).isEqualTo(401);
            String fileToken = AdversarialTest.json(s.asSuperuser("POST", "/api/files/token", null).body()).get("token").asText();
            assertThat(plainGet(s, BACKUPS + "/a.zip?token=" + fileToken)).isEqualTo(200);
            assertThat(plainGet(s, BACKUPS + "/missing.zip?token=" + fileToken)).isEqualTo(404);
            assertThat(plainGet(s, BACKUPS + "/..%2Fdata.mdb?token=" + fileToken)).isEqualTo(404);
        }
    }

    @Test
    void anUploadOverMaxBackupUploadIs413AndKeepsNothing() throws Exception {
        try (TestServer s = TestServer.start(Map.of("MAX_BACKUP_UPLOAD", "1MB"))) {
            HttpResponse<String> answer = upload(s, "big.zip", new byte[3 << 20], s.superuserToken());
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(s.get(BACKUPS).body()).isEqualTo("[]");
        }
    }

    static HttpResponse<String> upload(TestServer s, String filename, byte[] bytes, String token) throws Exception {
        HttpRequest.Builder r = Multipart.request(URI.create(s.baseUrl() + UPLOAD), "POST", "{}",
                new Multipart.Part("file", filename, bytes));
        if (token != null) r.header("Authorization", token);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int plainGet(TestServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
