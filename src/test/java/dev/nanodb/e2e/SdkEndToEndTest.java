package dev.nanodb.e2e;

import dev.nanodb.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the PocketBase SDK tests of {@code src/test/e2e} ({@code node --test}) against a real server; the Node
 * project is installed and run by {@link NodeProject} in {@code target/e2e-sdk}.
 */
class SdkEndToEndTest {
    private static final NodeProject PROJECT = new NodeProject(Path.of("src", "test", "e2e"), Path.of("target", "e2e-sdk"),
            "pocketbase", 180);

    @Test
    void pocketBaseSdkSeesOnlyOwnRowsThroughRealRoutes() throws Exception {
        try (TestServer server = TestServer.start()) {
            PROJECT.test(Map.of("NANODB_URL", server.baseUrl(),
                    "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD));
        }
    }
}
