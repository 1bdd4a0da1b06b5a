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
 * skipped loudly, or fails under {@code NANODB_REQUIRE_NODE=1} (CI), as for every Node-based test.
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

    public static S3TestServer start(Path dataDir) throws IOException, InterruptedException {
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
