package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.Multipart.Part;
import dev.nanodb.files.FileStorage;
import dev.nanodb.files.local.LocalFileStorage;
import dev.nanodb.json.Json;
import dev.nanodb.testing.TestServer;
import dev.nanodb.testing.Uploads;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files in {@code POST /api/batch}, as the PocketBase SDK sends them ({@code requests.N.field} parts beside
 * {@code @jsonPayload}): stored with the one transaction, none left behind by a batch that fails, replaced files
 * removed once it commits; misnamed parts refused. On LMDB and PostgreSQL.
 */
class BatchUploadApiTest {
    private static final String DOCS = "{'name':'docs','listRule':'','viewRule':'','createRule':'','updateRule':'',"
            + "'deleteRule':'','fields':[{'name':'title','type':'text','required':true},"
            + "{'name':'image','type':'file','mimeTypes':['image/png']},{'name':'files','type':'file','maxSelect':5}]}";
    private static final String CREATE = "{'method':'POST','url':'/api/collections/docs/records','body':{'title':'%s'}}";

    static Stream<String> backends() {
        return Stream.of("lmdb", TestServer.POSTGRES);
    }

    private static TestServer start(String backend) {
        Map<String, String> env = new HashMap<>();
        if (backend.equals(TestServer.POSTGRES)) env.put(TestServer.BACKEND, backend);
        TestServer s = TestServer.start(env);
        assertThat(s.asSuperuser("POST", "/api/collections", DOCS.replace('\'', '"')).statusCode()).isEqualTo(200);
        return s;
    }

    private static String batch(String... requests) {
        return ("{'requests':[" + String.join(",", requests) + "]}").replace('\'', '"');
    }

    @ParameterizedTest
    @MethodSource("backends")
    void filesTravelWithTheirOperations(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            byte[] png = Uploads.image("png", 8, 6);
            HttpResponse<String> done = Uploads.multipart(s, "POST", "/api/batch",
                    batch(CREATE.formatted("a"), CREATE.formatted("b")), new Part("requests.0.image", "photo.png", png),
                    new Part("requests[1].files", "one.txt", bytes("one")), new Part("requests.1.files", "two.txt", bytes("two")));
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            List<?> results = (List<?>) Json.parse(done.body().getBytes(StandardCharsets.UTF_8));
            Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) results.get(0)).get("body");
            Map<?, ?> b = (Map<?, ?>) ((Map<?, ?>) results.get(1)).get("body");
            assertThat((String) a.get("image")).matches("photo_[a-z0-9]{10}\\.png");
            assertThat(Uploads.get(s, "/api/files/docs/" + a.get("id") + "/" + a.get("image")).body()).isEqualTo(png);
            List<?> files = (List<?>) b.get("files");
            assertThat(files).hasSize(2);
            assertThat(Uploads.get(s, "/api/files/docs/" + b.get("id") + "/" + files.get(1)).body()).isEqualTo(bytes("two"));

            String old = (String) a.get("image");
            HttpResponse<String> replaced = Uploads.multipart(s, "POST", "/api/batch",
                    batch("{'method':'PATCH','url':'/api/collections/docs/records/" + a.get("id") + "','body':{}}"),
                    new Part("requests.0.image", "new.png", png));
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            await(s, "/api/files/docs/" + a.get("id") + "/" + old, 404);
            assertThat(storage(s).list("").stream().map(e -> e.key().name()))
                    .as("the replaced image is gone once the batch committed").hasSize(3).doesNotContain(old);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aFailedOrMisnamedBatchStoresNothing(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            byte[] png = Uploads.image("png", 8, 6);
            HttpResponse<String> invalid = Uploads.multipart(s, "POST", "/api/batch",
                    batch(CREATE.formatted("a"), "{'method':'POST','url':'/api/collections/docs/records','body':{}}"),
                    new Part("requests.0.image", "a.png", png), new Part("requests.1.files", "one.txt", bytes("one")));
            assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
            assertThat(invalid.body()).contains("\"1\"");
            HttpResponse<String> wrongType = Uploads.multipart(s, "POST", "/api/batch", batch(CREATE.formatted("a")),
                    new Part("requests.0.image", "fake.png", bytes("not a png")));
            assertThat(wrongType.statusCode()).isEqualTo(400);
            assertThat(wrongType.body()).contains("validation_invalid_mime_type");
            for (String part : List.of("requests.5.image", "image", "requests.x.image")) {
                HttpResponse<String> misnamed = Uploads.multipart(s, "POST", "/api/batch", batch(CREATE.formatted("a")),
                        new Part(part, "a.png", png));
                assertThat(misnamed.statusCode()).as(part).isEqualTo(400);
                assertThat(misnamed.body()).contains("validation_file_unsupported");
            }
            String id = created(s);
            HttpResponse<String> deleteWithFile = Uploads.multipart(s, "POST", "/api/batch",
                    batch("{'method':'DELETE','url':'/api/collections/docs/records/" + id + "'}"), new Part("requests.0.files", "x.txt", bytes("x")));
            assertThat(deleteWithFile.statusCode()).isEqualTo(400);
            assertThat(s.asSuperuser("GET", "/api/collections/docs/records", null).body()).contains("\"totalItems\":1");
            awaitEmpty(s);
        }
    }

    private static String created(TestServer s) {
        HttpResponse<String> r = s.asSuperuser("POST", "/api/collections/docs/records", "{\"title\":\"kept\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return (String) Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("id");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static FileStorage storage(TestServer s) throws Exception {
        return new LocalFileStorage(s.dataDir().resolve("storage"));
    }

    private static void await(TestServer s, String path, int status) throws Exception {
        for (int i = 0; i < 100 && Uploads.get(s, path).statusCode() != status; i++) Thread.sleep(50);
        assertThat(Uploads.get(s, path).statusCode()).isEqualTo(status);
    }

    /** Files are removed off the request's thread: waits until the storage holds none (at most 5 s). */
    private static void awaitEmpty(TestServer s) throws Exception {
        List<FileStorage.Entry> left = storage(s).list("");
        for (int i = 0; i < 100 && !left.isEmpty(); i++) {
            Thread.sleep(50);
            left = storage(s).list("");
        }
        assertThat(left).as("files left in the storage").isEmpty();
    }
}
