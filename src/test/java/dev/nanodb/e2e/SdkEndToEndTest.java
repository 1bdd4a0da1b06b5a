package dev.nanodb.e2e;

import dev.nanodb.testing.NodeProject;
import dev.nanodb.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the PocketBase SDK tests of {@code src/test/e2e} ({@code node --test}) against a real server; see
 * {@link NodeProject} for how the Node project is installed and when a missing Node skips or fails.
 */
class SdkEndToEndTest {
    @Test
    void pocketBaseSdkSeesOnlyOwnRowsThroughRealRoutes() throws Exception {
        NodeProject project = NodeProject.install();
        try (TestServer server = TestServer.start()) {
            project.test(Map.of("NANODB_URL", server.baseUrl(),
                    "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD));
        }
    }
}
