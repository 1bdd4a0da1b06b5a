package dev.nanodb.e2e;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.testing.MailboxHttp;
import dev.nanodb.testing.NodeProject;
import dev.nanodb.testing.TestServer;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.Test;

/**
 * Runs the PocketBase SDK tests of {@code src/test/e2e} ({@code node --test}) against a real server; see
 * {@link NodeProject} for how the Node project is installed and when a missing Node skips or fails. Mail goes to a
 * real SMTP server in this JVM (GreenMail), which the Node tests read through {@link MailboxHttp}; OAuth2 sign-ins go to a real OAuth2/OIDC server in this JVM
 * (mock-oauth2-server), whose URLs the Node tests receive.
 */
class SdkEndToEndTest {
    @Test
    void pocketBaseSdkSeesOnlyOwnRowsThroughRealRoutes() throws Exception {
        NodeProject project = NodeProject.install();
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        // interactive login: the Node tests sign in at the provider as a user they name, as a browser would
        MockOAuth2Server oauth2 = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\":true}"));
        oauth2.start();
        try (TestServer server = TestServer.start(); MailboxHttp mailbox = new MailboxHttp(smtp)) {
            project.test(Map.of("NANODB_URL", server.baseUrl(),
                    "NANODB_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "NANODB_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                    "SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()), "MAILBOX_URL", mailbox.url(),
                    "OAUTH2_AUTH_URL", oauth2.authorizationEndpointUrl("default").toString(),
                    "OAUTH2_TOKEN_URL", oauth2.tokenEndpointUrl("default").toString(),
                    "OAUTH2_USERINFO_URL", oauth2.userInfoUrl("default").toString()));
        } finally {
            oauth2.shutdown();
            smtp.stop();
        }
    }
}
