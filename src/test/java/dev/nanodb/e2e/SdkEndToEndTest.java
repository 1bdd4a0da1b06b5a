package dev.nanodb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.NodeProject;
import dev.nanodb.testing.TestServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
            List<String> command = new ArrayList<>(List.of(project.node().toString(), "--test", "--test-reporter=tap"));
            command.addAll(project.tests());
            NodeProject.Run run = NodeProject.run(command, Map.of("NANODB_URL", server.baseUrl(),
                    "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD));
            Files.writeString(NodeProject.WORK.resolve("node-test.log"), run.output());
            assertThat(run.exit()).as("node --test failed; its output:%n%s", run.output()).isZero();
            // Exit 0 alone would also pass a run that found no test: TAP's summary must count some, none failed.
            assertThat(run.output()).as("node --test summary; its output:%n%s", run.output())
                    .containsPattern("(?m)^# pass [1-9]").containsPattern("(?m)^# fail 0$");
        }
    }
}
