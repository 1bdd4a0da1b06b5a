package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.files.Bucket;
import dev.nanodb.files.s3.S3Bucket;
import dev.nanodb.files.s3.S3FileStorage;
import dev.nanodb.testing.S3TestServer;
import dev.nanodb.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Backups kept in an S3-compatible bucket ({@code backups.s3} in the settings; s3rver here): created, listed,
 * downloaded (with the header and with a file token), uploaded, restored, scheduled with retention and deleted — all
 * in the bucket, none in {@code DB_PATH/backups}; switching the bucket off shows the folder's backups again.
 */
class BackupS3ApiTest {
    private static final String BACKUPS = "/api/backups";

    @Test
    void everyBackupRouteWorksOnTheBucket() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        S3Bucket objects = new S3Bucket(new S3FileStorage.Settings(s3.endpoint(), S3TestServer.BUCKET, "us-east-1",
                S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, "", true));
        String tag = "s3b" + System.nanoTime();
        try (TestServer s = TestServer.start(); objects) {
            String id = AdversarialTest.json(s.post("/api/collections/notes/records", "{\"n\":\"before\"}").body()).get("id").asText();
            assertThat(s.post(BACKUPS, "{\"name\":\"" + tag + "_local.zip\"}").statusCode()).isEqualTo(204);
            String on = "{\"backups\":{\"cron\":\"0 3 * * *\",\"cronMaxKeep\":1,\"s3\":{\"enabled\":true,\"bucket\":\"" + S3TestServer.BUCKET
                    + "\",\"region\":\"us-east-1\",\"endpoint\":\"" + s3.endpoint() + "\",\"accessKey\":\"" + S3TestServer.ACCESS_KEY
                    + "\",\"secret\":\"" + S3TestServer.SECRET_KEY + "\",\"forcePathStyle\":true}}}";
            assertThat(s.patch("/api/settings", on).statusCode()).isEqualTo(200);

            String key = tag + "_a.zip";
            assertThat(s.post(BACKUPS, "{\"name\":\"" + key + "\"}").statusCode()).isEqualTo(204);
            assertThat(keys(s)).contains(key).doesNotContain(tag + "_local.zip");
            assertThat(Files.exists(s.dataDir().resolve("backups/" + key))).as("not in the folder").isFalse();
            assertThat(objects.find(key)).isPresent();

            String fileToken = AdversarialTest.json(s.asSuperuser("POST", "/api/files/token", null).body()).get("token").asText();
            HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(s.baseUrl() + BACKUPS + "/" + key + "?token=" + fileToken)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat((long) download.body().length).isEqualTo(objects.find(key).orElseThrow().size());

            String uploaded = tag + "_up.zip";
            assertThat(BackupUploadApiTest.upload(s, uploaded, download.body(), s.superuserToken()).statusCode()).isEqualTo(204);
            assertThat(objects.find(uploaded)).isPresent();

            s.patch("/api/collections/notes/records/" + id, "{\"n\":\"after\"}");
            assertThat(s.post(BACKUPS + "/" + uploaded + "/restore", null).statusCode()).isEqualTo(204);
            assertThat(AdversarialTest.json(s.get("/api/collections/notes/records/" + id).body()).get("n").asText()).isEqualTo("before");
            assertThat(keys(s)).anyMatch(k -> k.startsWith("nanodb_pre_restore_"));

            for (String day : List.of("16", "17")) s.crons().tick(Instant.parse("2024-09-" + day + "T03:00:00Z")).get(60, TimeUnit.SECONDS);
            assertThat(keys(s).stream().filter(k -> k.startsWith("@auto_pb_backup_"))).as("cronMaxKeep 1").hasSize(1);

            for (String k : keys(s)) assertThat(s.delete(BACKUPS + "/" + k.replace("@", "%40")).statusCode()).isEqualTo(204);
            assertThat(objects.list().stream().map(Bucket.Listed::name)).noneMatch(n -> n.endsWith(".zip"));
            assertThat(s.patch("/api/settings", "{\"backups\":{\"s3\":{\"enabled\":false}}}").statusCode()).isEqualTo(200);
            assertThat(keys(s)).containsExactly(tag + "_local.zip");
        }
    }

    private static List<String> keys(TestServer s) {
        HttpResponse<String> r = s.get(BACKUPS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode b : AdversarialTest.json(r.body())) out.add(b.get("key").asText());
        return out;
    }
}
