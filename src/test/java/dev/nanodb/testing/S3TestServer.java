package dev.nanodb.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real S3-compatible server for tests: {@code s3rver} (npm) run by Node from {@code src/test/s3}, on a free local
 * port, with its objects in a temporary folder and one bucket, {@code nanodb}. Without Node the calling test is
 * skipped loudly, or fails under {@code NANODB_REQUIRE_NODE=1} (CI), as for every Node-based test. Tests share one
 * server per test JVM ({@link #shared()}), each under key prefixes of its own.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String BUCKET = "nanodb";
    public static final String ACCESS_KEY = "S3RVER";
    public static final String SECRET_KEY = "S3RVER";
    private final NodeProject.Script script;
    private final int port;

    private S3TestServer(NodeProject.Script script, int port) {
        this.script = script;
        this.port = port;
    }

    private static S3TestServer shared;

    /** This JVM's server, started on first use and stopped (its objects deleted) when the JVM exits. */
    public static synchronized S3TestServer shared() throws IOException, InterruptedException {
        if (shared == null) {
            Path objects = Files.createTempDirectory("nanodb-s3rver");
            S3TestServer server = start(objects);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
                try (var files = Files.walk(objects)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort at exit
                }
            }, "stop-s3rver"));
            shared = server;
        }
        return shared;
    }

    private static S3TestServer start(Path dataDir) throws IOException, InterruptedException {
        NodeProject project = NodeProject.installTool(Path.of("src", "test", "s3"), Path.of("target", "s3-server"), "s3rver");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dataDir);
        NodeProject.Script script = project.start(List.of(project.node().toString(), "server.mjs", String.valueOf(port),
                dataDir.toAbsolutePath().toString()), Map.of());
        script.awaitLine("READY");
        return new S3TestServer(script, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        script.close();
    }
}
