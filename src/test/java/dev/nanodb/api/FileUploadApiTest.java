package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.files.FileStorage;
import dev.nanodb.files.local.LocalFileStorage;
import dev.nanodb.files.s3.S3FileStorage;
import dev.nanodb.json.Json;
import dev.nanodb.testing.Multipart.Part;
import dev.nanodb.testing.S3TestServer;
import dev.nanodb.testing.TestServer;
import dev.nanodb.testing.Uploads;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Uploads and downloads as the PocketBase SDK sends and reads them ({@code multipart/form-data}, file parts named
 * by field, the other values in {@code @jsonPayload}), on local storage, with LMDB and PostgreSQL: bytes read back
 * exactly, the checks on size and sniffed type, safe names, {@code files+}/{@code files-}, removal after the commit,
 * a failed write leaving no file, and the download's headers (type, nosniff, sandbox, ETag/304, Range).
 */
class FileUploadApiTest {
    private static final String DOCS = "{'name':'docs','listRule':'','viewRule':'','createRule':'','updateRule':'',"
            + "'deleteRule':'','fields':[{'name':'title','type':'text','required':true},"
            + "{'name':'image','type':'file','mimeTypes':['image/png']},"
            + "{'name':'small','type':'file','maxSize':100},"
            + "{'name':'files','type':'file','maxSelect':5},"
            + "{'name':'photos','type':'file','maxSelect':5,'thumbs':['32x32','0x20','40x40f','30x10t']}]}";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static S3TestServer s3;
    /** Where the server under test keeps files, to look at them directly. */
    private FileStorage storage;

    static Stream<String> backends() {
        return Stream.of("lmdb", TestServer.POSTGRES, "s3");
    }

    private TestServer start(String backend) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        if (backend.equals(TestServer.POSTGRES)) env.put(TestServer.BACKEND, backend);
        String prefix = "t" + System.nanoTime() + "/";
        if (backend.equals("s3")) {
            if (s3 == null) s3 = S3TestServer.shared();
            env.putAll(Map.of("S3_BUCKET", S3TestServer.BUCKET, "S3_ENDPOINT", s3.endpoint(), "S3_ACCESS_KEY", S3TestServer.ACCESS_KEY,
                    "S3_SECRET", S3TestServer.SECRET_KEY, "S3_FORCE_PATH_STYLE", "true", "S3_PREFIX", prefix));
        }
        TestServer s = TestServer.start(env);
        storage = backend.equals("s3") ? new S3FileStorage(new S3FileStorage.Settings(s3.endpoint(), S3TestServer.BUCKET,
                "us-east-1", S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, prefix, true))
                : new LocalFileStorage(s.dataDir().resolve("storage"));
        assertThat(s.asSuperuser("POST", "/api/collections", DOCS.replace('\'', '"')).statusCode()).isEqualTo(200);
        return s;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aPngUploadReadsBackExactlyWithSafeHeaders(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            byte[] png = png();
            HttpResponse<String> created = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("image", "My Photo.png", png));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            Map<String, Object> rec = Json.parseObject(created.body().getBytes(StandardCharsets.UTF_8));
            String name = (String) rec.get("image");
            assertThat(name).matches("my_photo_[a-z0-9]{10}\\.png");
            String url = "/api/files/docs/" + rec.get("id") + "/" + name;
            HttpResponse<byte[]> got = Uploads.get(s, url);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(png);
            assertThat(got.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(got.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(got.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox", "default-src 'none'");
            String etag = got.headers().firstValue("ETag").orElseThrow();
            assertThat(Uploads.get(s, url, "If-None-Match", etag).statusCode()).isEqualTo(304);
            HttpResponse<byte[]> part = Uploads.get(s, url, "Range", "bytes=1-3");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(png, 1, 4));
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1-3/" + png.length);
            assertThat(Uploads.get(s, url, "Range", "bytes=999999-").statusCode()).isEqualTo(416);
            assertThat(Uploads.get(s, url, "Range", "bytes=0-1,4-5").body()).as("a multi-range is ignored").isEqualTo(png);
            assertThat(Uploads.get(s, url, "Range", "items=1-2").statusCode()).isEqualTo(200);
            assertThat(Uploads.get(s, url + "?download=1").headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
            assertThat(Uploads.get(s, "/api/files/docs/" + rec.get("id") + "/other_abcdefghij.png").statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void refusedUploadsStoreNothing(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            HttpResponse<String> wrongType = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("image", "fake.png", "just text".getBytes(StandardCharsets.UTF_8)));
            assertThat(wrongType.statusCode()).isEqualTo(400);
            assertThat(wrongType.body()).contains("validation_invalid_mime_type");
            HttpResponse<String> tooBig = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("small", "big.bin", new byte[101]));
            assertThat(tooBig.statusCode()).isEqualTo(400);
            assertThat(tooBig.body()).contains("validation_file_size_limit");
            HttpResponse<String> invalidRecord = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{}",
                    new Part("files", "ok.txt", "fine".getBytes(StandardCharsets.UTF_8)));
            assertThat(invalidRecord.statusCode()).as(invalidRecord.body()).isEqualTo(400);
            assertThat(invalidRecord.body()).contains("title");
            HttpResponse<String> tooMany = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    parts("files", 6));
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(tooMany.body()).contains("\"files\"", "validation_too_many_files");
            HttpResponse<String> twoForOne = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("small", "a.txt", "a".getBytes(StandardCharsets.UTF_8)), new Part("small", "b.txt", "b".getBytes(StandardCharsets.UTF_8)));
            assertThat(twoForOne.statusCode()).isEqualTo(400);
            assertThat(twoForOne.body()).contains("\"small\"", "validation_too_many_files");
            HttpResponse<String> oddPart = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("+nosuch+", "a.txt", "a".getBytes(StandardCharsets.UTF_8)));
            assertThat(oddPart.statusCode()).as(oddPart.body()).isEqualTo(400);
            awaitNoFiles(s);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void appendRemoveAndDeleteRemoveFilesAfterTheCommit(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            HttpResponse<String> created = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("files", "../../etc/evil.txt", "one".getBytes(StandardCharsets.UTF_8)),
                    new Part("files", "two.txt", "two".getBytes(StandardCharsets.UTF_8)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            Map<String, Object> rec = Json.parseObject(created.body().getBytes(StandardCharsets.UTF_8));
            String id = (String) rec.get("id");
            List<?> names = (List<?>) rec.get("files");
            assertThat(names).hasSize(2);
            assertThat((String) names.get(0)).matches("evil_[a-z0-9]{10}\\.txt");
            HttpResponse<String> appended = Uploads.multipart(s, "PATCH", "/api/collections/docs/records/" + id, "{}",
                    new Part("files+", "three.txt", "three".getBytes(StandardCharsets.UTF_8)));
            assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
            List<?> three = (List<?>) Json.parseObject(appended.body().getBytes(StandardCharsets.UTF_8)).get("files");
            assertThat(three).hasSize(3);
            assertThat(three.subList(0, 2)).isEqualTo(names);
            HttpResponse<String> removed = s.asSuperuser("PATCH", "/api/collections/docs/records/" + id,
                    "{\"files-\":[\"" + names.get(0) + "\"]}");
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            awaitStatus(s, "/api/files/docs/" + id + "/" + names.get(0), 404);
            assertThat(new String(Uploads.get(s, "/api/files/docs/" + id + "/" + three.get(2)).body(), StandardCharsets.UTF_8)).isEqualTo("three");
            assertThat(s.asSuperuser("DELETE", "/api/collections/docs/records/" + id, null).statusCode()).isEqualTo(200);
            awaitNoFiles(s);
        }
    }

    /**
     * Thumbnails in PocketBase's sizes, made once and kept in the storage beside the original; the original for a
     * size the field does not list and for a file that is no image; gone with their record.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void thumbnailsAreMadeOnceInTheAllowedSizes(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            byte[] png = Uploads.image("png", 64, 48);
            HttpResponse<String> created = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("photos", "p.png", png), new Part("photos", "j.jpg", Uploads.image("jpeg", 64, 48)),
                    new Part("photos", "g.gif", Uploads.image("gif", 64, 48)),
                    new Part("photos", "text.png", "no image".getBytes(StandardCharsets.UTF_8)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            Map<String, Object> rec = Json.parseObject(created.body().getBytes(StandardCharsets.UTF_8));
            List<?> names = (List<?>) rec.get("photos");
            String base = "/api/files/docs/" + rec.get("id") + "/";
            HttpResponse<byte[]> thumb = Uploads.get(s, base + names.get(0) + "?thumb=32x32");
            assertThat(thumb.statusCode()).isEqualTo(200);
            assertThat(thumb.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(thumb.headers().firstValue("Content-Disposition").orElseThrow()).contains("32x32_" + names.get(0));
            assertThat(size(thumb.body())).isEqualTo("32x32");
            assertThat(Uploads.get(s, base + names.get(0) + "?thumb=32x32").headers().firstValue("ETag"))
                    .as("the second request is served the stored thumbnail").isEqualTo(thumb.headers().firstValue("ETag"));
            assertThat(storage.list("").stream().filter(e -> e.key().thumb() != null).map(e -> e.key().thumb())).containsExactly("32x32");
            assertThat(size(Uploads.get(s, base + names.get(0) + "?thumb=100x100").body())).as("the default size").isEqualTo("100x100");
            assertThat(size(Uploads.get(s, base + names.get(0) + "?thumb=0x20").body())).isEqualTo("27x20");
            assertThat(size(Uploads.get(s, base + names.get(0) + "?thumb=40x40f").body())).isEqualTo("40x30");
            assertThat(size(Uploads.get(s, base + names.get(0) + "?thumb=30x10t").body())).isEqualTo("30x10");
            assertThat(Uploads.get(s, base + names.get(0) + "?thumb=50x50").body()).as("a size not listed").isEqualTo(png);
            HttpResponse<byte[]> jpeg = Uploads.get(s, base + names.get(1) + "?thumb=32x32");
            assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(size(jpeg.body())).isEqualTo("32x32");
            HttpResponse<byte[]> gif = Uploads.get(s, base + names.get(2) + "?thumb=32x32");
            assertThat(gif.headers().firstValue("Content-Type")).hasValue("image/gif");
            assertThat(size(gif.body())).isEqualTo("32x32");
            HttpResponse<byte[]> noImage = Uploads.get(s, base + names.get(3) + "?thumb=32x32");
            assertThat(new String(noImage.body(), StandardCharsets.UTF_8)).as("no image: the original").isEqualTo("no image");
            assertThat(noImage.headers().firstValue("Cache-Control")).as("not to be kept at a thumbnail's URL").hasValue("no-cache");
            assertThat(thumb.headers().firstValue("Cache-Control").orElseThrow()).startsWith("max-age=");
            assertThat(s.asSuperuser("DELETE", "/api/collections/docs/records/" + rec.get("id"), null).statusCode()).isEqualTo(200);
            awaitNoFiles(s);
        }
    }

    private static String size(byte[] image) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(image));
        return img == null ? "not an image" : img.getWidth() + "x" + img.getHeight();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void hostileUploadsAreInertOrRefused(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
            HttpResponse<String> created = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("files", "x.svg", svg.getBytes(StandardCharsets.UTF_8)),
                    new Part("files", "page.html", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            Map<String, Object> rec = Json.parseObject(created.body().getBytes(StandardCharsets.UTF_8));
            for (Object name : (List<?>) rec.get("files")) {
                HttpResponse<byte[]> got = Uploads.get(s, "/api/files/docs/" + rec.get("id") + "/" + name);
                assertThat(got.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox", "default-src 'none'");
                assertThat(got.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            }
            assertThat(s.asSuperuser("PATCH", "/api/collections/docs", "{\"createRule\":null}").statusCode()).isEqualTo(200);
            HttpRequest anonymous = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/collections/docs/records"))
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"files\"; "
                            + "filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n")).build();
            assertThat(http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            assertThat(s.asSuperuser("PATCH", "/api/collections/docs", "{\"createRule\":\"\"}").statusCode()).isEqualTo(200);
            byte[] huge = new byte[(int) (1 << 20) + 100 + 10 * (5 << 20) + (5 << 20) + 1024]; // over the non-file limit + every field's maxSelect × maxSize
            HttpResponse<String> tooLarge = Uploads.multipart(s, "POST", "/api/collections/docs/records", "{\"title\":\"a\"}",
                    new Part("files", "huge.bin", huge));
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            RawHttp.Answer announced = RawHttp.send(Integer.parseInt(s.baseUrl().replaceAll(".*:", "")),
                    "POST /api/collections/docs/records HTTP/1.1", new String[] {"Content-Type: multipart/form-data; boundary=b",
                            "Content-Length: 999999999999", "Authorization: " + s.superuserToken()}, new byte[0]);
            assertThat(announced.status()).as("a Content-Length over the limit: 413 before the body").isEqualTo(413);
            assertThat(s.asSuperuser("DELETE", "/api/collections/docs/records/" + rec.get("id"), null).statusCode()).isEqualTo(200);
            awaitNoFiles(s);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aProtectedFileNeedsAFileTokenOfSomeoneWhoMayView(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            assertThat(s.asSuperuser("POST", "/api/collections", ("{'name':'vault','viewRule':'owner = @request.auth.id',"
                    + "'fields':[{'name':'owner','type':'text'},{'name':'doc','type':'file','protected':true}]}")
                    .replace('\'', '"')).statusCode()).isEqualTo(200);
            String alice = s.signUp("alice-files@example.com");
            s.signUp("bob-files@example.com");
            String aliceToken = s.login("users", "alice-files@example.com", "password123");
            String bobToken = s.login("users", "bob-files@example.com", "password123");
            HttpResponse<String> created = Uploads.multipart(s, "POST", "/api/collections/vault/records", "{\"owner\":\"" + alice + "\"}",
                    new Part("doc", "secret.txt", "the secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            Map<String, Object> rec = Json.parseObject(created.body().getBytes(StandardCharsets.UTF_8));
            String url = "/api/files/vault/" + rec.get("id") + "/" + rec.get("doc");
            assertThat(Uploads.get(s, url).statusCode()).as("no token").isEqualTo(404);
            assertThat(s.send("POST", "/api/files/token", null).statusCode()).as("a file token needs a caller").isEqualTo(401);
            String aliceFile = fileToken(s, aliceToken);
            String bobFile = fileToken(s, bobToken);
            HttpResponse<byte[]> got = Uploads.get(s, url + "?token=" + aliceFile);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("the secret");
            assertThat(got.headers().firstValue("Cache-Control")).hasValue("private, no-store");
            assertThat(Uploads.get(s, url + "?token=" + bobFile).statusCode()).as("bob may not view the record").isEqualTo(404);
            assertThat(Uploads.get(s, url + "?token=" + aliceToken).statusCode()).as("an auth token is no file token").isEqualTo(404);
            assertThat(Uploads.get(s, url + "?token=garbage").statusCode()).isEqualTo(404);
            HttpResponse<String> asFileToken = s.send("GET", "/api/collections/vault/records", null, "Authorization", aliceFile);
            HttpResponse<String> anonymous = s.send("GET", "/api/collections/vault/records", null);
            assertThat(asFileToken.statusCode()).as("a file token is no auth token: answered as a guest").isEqualTo(anonymous.statusCode());
            assertThat(asFileToken.body()).isEqualTo(anonymous.body());
            assertThat(s.send("POST", "/api/files/token", null, "Authorization", aliceFile).statusCode())
                    .as("a file token cannot ask for a file token").isEqualTo(401);
            assertThat(Uploads.get(s, url + "?token=" + fileToken(s, s.superuserToken())).statusCode()).isEqualTo(200);
            assertThat(s.asSuperuser("PATCH", "/api/collections/users/records/" + alice,
                    "{\"password\":\"password456\",\"passwordConfirm\":\"password456\"}").statusCode()).isEqualTo(200);
            assertThat(Uploads.get(s, url + "?token=" + aliceFile).statusCode())
                    .as("a password change revokes a file token used before").isEqualTo(404);
        }
    }

    private static String fileToken(TestServer s, String authToken) {
        HttpResponse<String> r = s.send("POST", "/api/files/token", null, "Authorization", authToken);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("token");
    }

    private static Part[] parts(String field, int n) {
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Part(field, "f" + i + ".txt", ("file " + i).getBytes(StandardCharsets.UTF_8)));
        return out.toArray(Part[]::new);
    }

    private void awaitStatus(TestServer s, String path, int status) throws Exception {
        for (int i = 0; i < 100 && Uploads.get(s, path).statusCode() != status; i++) Thread.sleep(50);
        assertThat(Uploads.get(s, path).statusCode()).isEqualTo(status);
    }

    /** Files are removed off the request's thread: waits until the storage holds none (at most 5 s). */
    private void awaitNoFiles(TestServer s) throws Exception {
        List<FileStorage.Entry> left = List.of();
        for (int i = 0; i < 100; i++) {
            left = storage.list("");
            if (left.isEmpty()) return;
            Thread.sleep(50);
        }
        assertThat(left).as("files left in the storage").isEmpty();
    }

    private static byte[] png() {
        return Uploads.image("png", 4, 3);
    }
}
