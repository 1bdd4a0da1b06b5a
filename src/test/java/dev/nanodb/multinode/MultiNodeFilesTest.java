package dev.nanodb.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.files.s3.S3FileStorage;
import dev.nanodb.json.Json;
import dev.nanodb.testing.ChildServer;
import dev.nanodb.testing.Multipart.Part;
import dev.nanodb.testing.PgTestDatabase;
import dev.nanodb.testing.S3TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Records' files with several nodes on one PostgreSQL database (child JVMs, as {@link MultiNodeTest}): nodes A and
 * B on one S3-compatible bucket (s3rver) serve each other's uploads and deletes; a node on its own disk is refused
 * while they run, with a message naming them and the fix; a node that stopped cleanly or fell silent no longer
 * counts, and nodes on one shared folder ({@code LOCAL_STORAGE_SHARED}, here one folder linked into both data
 * folders) start together and serve each other's uploads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class MultiNodeFilesTest {
    private static final String DOCS = "/api/collections/docs/records";
    private static PgTestDatabase db;
    private static Path work;
    private static Map<String, String> pg;
    private static Map<String, String> bucket;
    private static S3FileStorage objects;
    private static final List<ChildServer> started = new ArrayList<>();
    private static ChildServer a;
    private static ChildServer b;

    @BeforeAll
    static void startTwoNodesOnOneBucket() throws Exception {
        ChildServer.classpath();
        db = PgTestDatabase.create("multinode_files");
        work = Files.createTempDirectory("nanodb-multinode-files");
        S3TestServer s3 = S3TestServer.shared();
        String prefix = "multinode" + System.nanoTime() + "/";
        pg = Map.of("DATABASE_URL", "postgres://postgres@" + db.jdbcUrl().substring("jdbc:postgresql://".length()));
        bucket = new HashMap<>(pg);
        bucket.putAll(Map.of("S3_BUCKET", S3TestServer.BUCKET, "S3_ENDPOINT", s3.endpoint(), "S3_ACCESS_KEY",
                S3TestServer.ACCESS_KEY, "S3_SECRET", S3TestServer.SECRET_KEY, "S3_FORCE_PATH_STYLE", "true", "S3_PREFIX", prefix));
        objects = new S3FileStorage(new S3FileStorage.Settings(s3.endpoint(), S3TestServer.BUCKET, "us-east-1",
                S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, prefix, true));
        a = start("a", bucket);
        b = start("b", bucket);
        a.ok("POST", "/api/collections", "{\"name\":\"docs\",\"listRule\":\"\",\"viewRule\":\"\",\"createRule\":\"\","
                + "\"updateRule\":\"\",\"deleteRule\":\"\",\"fields\":[{\"name\":\"doc\",\"type\":\"file\"}]}");
    }

    @AfterAll
    static void stopEveryNode() throws Exception {
        try {
            for (ChildServer s : started) s.ensureDead();
            if (objects != null) objects.close();
        } finally {
            if (db != null) db.close();
            if (work != null) ChildServer.deleteTree(work);
        }
    }

    @Test
    @Order(1)
    void aFileUploadedThroughAIsServedByBAndItsDeleteThroughBIsSeenOnA() throws Exception {
        byte[] bytes = random(300_000);
        String url = upload(a, bytes);
        assertThat(download(b, url).body()).as("B serves A's upload byte for byte").isEqualTo(bytes);
        assertThat(objects.list("")).as("one object in the bucket").hasSize(1);

        b.ok("DELETE", DOCS + "/" + url.split("/")[4], null);
        assertThat(download(a, url).statusCode()).as("A after B deleted the record").isEqualTo(404);
        assertThat(download(b, url).statusCode()).isEqualTo(404);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!objects.list("").isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(objects.list("")).as("the object removed after the delete's commit").isEmpty();
    }

    @Test
    @Order(2)
    void aNodeOnItsOwnDiskIsRefusedWhileOtherNodesRun() throws Exception {
        String out = refused("c", pg);
        assertThat(out).contains("nanodb: refusing to start: 2 other NanoDB nodes run on this database",
                "pid " + a.pid() + " with files on S3 bucket nanodb at ", "pid " + b.pid() + " with files on S3 bucket",
                work.resolve("c-data").resolve("storage").toString(), "Set S3_BUCKET", "LOCAL_STORAGE_SHARED=true");
        assertThat(nodeEntries()).as("the refused node registered nothing").isEqualTo(2);
    }

    /**
     * B stops cleanly (its entry goes), A is killed (its entry stays and still refuses a node with other storage until
     * it is silent: here aged by hand instead of waiting 30 s); then two nodes on one shared folder start together.
     */
    @Test
    @Order(3)
    void stoppedAndSilentNodesDoNotCountAndNodesOnASharedFolderStartTogether() throws Exception {
        assertThat(b.stop()).isZero();
        assertThat(nodeEntries()).as("B's clean stop removed its entry").isEqualTo(1);
        a.kill();
        Map<String, String> shared = new HashMap<>(pg);
        shared.put("LOCAL_STORAGE_SHARED", "true");
        assertThat(refused("d", shared)).contains("keep records' files elsewhere than this node, which uses a shared folder",
                "pid " + a.pid() + " with files on S3 bucket", "LOCAL_STORAGE_SHARED=true");

        execute("UPDATE nanodb_nodes SET last_seen = now() - interval '31 seconds'");
        ChildServer d = start("d", shared);
        Files.createDirectories(work.resolve("e-data"));
        Files.createSymbolicLink(work.resolve("e-data").resolve("storage"), work.resolve("d-data").resolve("storage"));
        ChildServer e = start("e", shared);
        assertThat(nodeEntries()).as("A's silent entry removed, D's and E's added").isEqualTo(2);

        byte[] bytes = random(50_000);
        assertThat(download(e, upload(d, bytes)).body()).as("E serves D's upload").isEqualTo(bytes);
    }

    private static ChildServer start(String name, Map<String, String> env) throws IOException, InterruptedException {
        ChildServer s = ChildServer.start(work, work.resolve(name + "-data"), name, env);
        started.add(s);
        return s;
    }

    /** Starts a node that must refuse to start (exit 1); its output. */
    private static String refused(String name, Map<String, String> env) throws Exception {
        Path log = work.resolve(name + "-refused.log");
        ProcessBuilder pb = ChildServer.java(work, work.resolve(name + "-data")).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PORT", "0");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the refused node exits").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).as("exit status; output:%n%s", out).isEqualTo(1);
        return out;
    }

    /** Uploads {@code bytes} as a new record's file through {@code node}; the file's download path. */
    private static String upload(ChildServer node, byte[] bytes) throws Exception {
        HttpResponse<String> r = node.upload("POST", DOCS, "{}", new Part("doc", "report.bin", bytes));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> rec = Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
        return "/api/files/docs/" + rec.get("id") + "/" + rec.get("doc");
    }

    private static HttpResponse<byte[]> download(ChildServer node, String path) throws Exception {
        return ChildServer.CLIENT.send(HttpRequest.newBuilder(node.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static int nodeEntries() throws SQLException {
        try (Connection c = db.connect(null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM nanodb_nodes")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.connect(null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
