package dev.nanodb.e2e;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.testing.MailboxHttp;
import dev.nanodb.testing.NodeProject;
import dev.nanodb.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drives the dashboard at {@code /_/} in headless Chromium with playwright-core: the Node project of
 * {@code src/test/browser}, installed and run by {@link NodeProject} in {@code target/e2e-browser}.
 *
 * <p>The browser is the system's Chromium ({@code CHROMIUM_PATH}, default Debian's {@code /usr/bin/chromium});
 * playwright-core never downloads one. Without it the test is skipped loudly, unless
 * {@code NANODB_REQUIRE_BROWSER=1} (set by {@code .ci/run}) makes that a failure. With {@code SCREENSHOTS_DIR}
 * set, the run also saves a screenshot of each page there (how {@code docs/img} is made). The settings page's test
 * e-mail goes to a real SMTP server in this JVM (GreenMail), read by the page test through {@link MailboxHttp}.
 */
class DashboardBrowserTest {
    @Test
    void operatorWorksThroughTheDashboard() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            NodeProject.skipOrFail("NANODB_REQUIRE_BROWSER", "no Chromium at " + chromium + " (set CHROMIUM_PATH, or "
                    + "apt-get install chromium) to run the dashboard browser tests of src/test/browser.");
        }
        NodeProject project = NodeProject.install(Path.of("src", "test", "browser"), Path.of("target", "e2e-browser"),
                "playwright-core");
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try (TestServer server = TestServer.start(); MailboxHttp mailbox = new MailboxHttp(smtp)) {
            Map<String, String> env = new HashMap<>(Map.of("NANODB_URL", server.baseUrl(), "CHROMIUM_PATH", chromium.toString(),
                    "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                    "SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()), "MAILBOX_URL", mailbox.url()));
            String shots = System.getenv("SCREENSHOTS_DIR");
            // Relative to the project, not to the work folder under target/ where node runs.
            if (shots != null && !shots.isBlank()) env.put("SCREENSHOTS_DIR", Path.of(shots).toAbsolutePath().toString());
            project.test(env);
        } finally {
            smtp.stop();
        }
    }
}
