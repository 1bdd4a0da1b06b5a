package dev.nanodb.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.config.Config;
import dev.nanodb.store.postgres.PostgresStore;
import dev.nanodb.testing.Eventually;
import dev.nanodb.testing.PgTestDatabase;
import dev.nanodb.testing.TestServer;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account routes under abuse and failure: default per-client limits on every request and confirmation, an SMTP
 * server that never answers (requests still answer; the failure shows in {@code /api/stats}), and two nodes on one
 * PostgreSQL database (a reset requested on one node is confirmed on the other; a code mailed by one signs in on the
 * other).
 */
class AccountAbuseTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USERS = "/api/collections/users/";

    @Test
    void everyAccountRouteIsLimitedPerClientByDefault() {
        try (TestServer s = TestServer.start(Map.of("RATE_LIMITS", Config.KEYS.get("RATE_LIMITS")))) {
            s.signUp("ann@example.com");
            String auth = s.login("users", "ann@example.com", "password123");
            s.patch("/api/collections/users", "{\"otp\":{\"enabled\":true}}");
            Map<String, String> routes = Map.of(
                    "request-otp", "{\"email\":\"ann@example.com\"}",
                    "auth-with-otp", "{\"otpId\":\"aaaaaaaaaaaaaaa\",\"password\":\"12345678\"}",
                    "request-verification", "{\"email\":\"ann@example.com\"}",
                    "request-password-reset", "{\"email\":\"ann@example.com\"}",
                    "request-email-change", "{\"newEmail\":\"ann2@example.com\"}",
                    "confirm-verification", "{\"token\":\"x\"}",
                    "confirm-password-reset", "{\"token\":\"x\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}",
                    "confirm-email-change", "{\"token\":\"x\",\"password\":\"password123\"}");
            for (var route : routes.entrySet()) {
                HttpResponse<String> first = s.send("POST", USERS + route.getKey(), route.getValue(), "Authorization", auth);
                int limit = Integer.parseInt(first.headers().firstValue("X-RateLimit-Limit").orElseThrow(
                        () -> new AssertionError(route.getKey() + " has no rate limit")));
                assertThat(limit).as(route.getKey()).isEqualTo(route.getKey().startsWith("request-") ? 5 : 20);
                HttpResponse<String> last = first;
                for (int i = 1; i <= limit; i++) last = s.send("POST", USERS + route.getKey(), route.getValue(), "Authorization", auth);
                assertThat(last.statusCode()).as(route.getKey() + " after " + (limit + 1) + " requests").isEqualTo(429);
            }
        }
    }

    @Test
    void anSmtpServerThatNeverAnswersDelaysNoRequestAndItsFailureIsCounted() throws Exception {
        try (ServerSocket silent = new ServerSocket(0); TestServer s = TestServer.start()) {
            var set = s.asSuperuser("PATCH", "/api/settings", "{\"smtp\":{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":"
                    + silent.getLocalPort() + "}}");
            assertThat(set.statusCode()).isEqualTo(200);
            s.signUp("bob@example.com");
            assertThat(s.send("POST", USERS + "request-password-reset", "{\"email\":\"bob@example.com\"}").statusCode()).isEqualTo(204);
            try (Socket held = silent.accept()) {
                assertThat(s.send("POST", USERS + "request-verification", "{\"email\":\"bob@example.com\"}").statusCode())
                        .as("answered while the SMTP server holds the first message").isEqualTo(204);
                var stats = JSON.readTree(s.get("/api/stats").body());
                assertThat(stats.at("/mail/queued").asInt()).isEqualTo(2);
                assertThat(stats.at("/mail/sent").asInt()).isZero();
            }
            Eventually.holds(() -> {
                try {
                    var stats = JSON.readTree(s.get("/api/stats").body());
                    assertThat(stats.at("/mail/retried").asInt()).isGreaterThanOrEqualTo(1);
                    assertThat(stats.at("/mail/lastError").asText()).isNotEmpty();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void aResetRequestedOnOneNodeIsConfirmedOnTheOther() throws Exception {
        PgTestDatabase.assumeAvailable();
        String schema = PgTestDatabase.freshSchema();
        Map<String, String> env = Map.of("LOCAL_STORAGE_SHARED", "true");
        try (TestServer a = TestServer.start(env, c -> new PostgresStore(PgTestDatabase.url(), schema, 4));
             TestServer b = TestServer.start(env, c -> new PostgresStore(PgTestDatabase.url(), schema, 4))) {
            MailBox mail = new MailBox(SMTP);
            mail.use(a);
            a.signUp("cat@example.com");
            assertThat(a.send("POST", USERS + "request-password-reset", "{\"email\":\"cat@example.com\"}").statusCode()).isEqualTo(204);
            String token = mail.token("cat@example.com");
            HttpResponse<String> done = b.send("POST", USERS + "confirm-password-reset", "{\"token\":\"" + token
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
            assertThat(a.login("users", "cat@example.com", "new-password-1")).isNotBlank();
            b.signUp("dan@example.com");
            assertThat(b.send("POST", USERS + "request-verification", "{\"email\":\"dan@example.com\"}").statusCode()).isEqualTo(204);
            assertThat(mail.only("dan@example.com").getSubject()).as("node B mails with the settings node A saved")
                    .isEqualTo("Confirm your Acme e-mail address");

            assertThat(a.patch("/api/collections/users", "{\"otp\":{\"enabled\":true,\"length\":6}}").statusCode()).isEqualTo(200);
            Eventually.holds(() -> assertThat(Users.json(b.send("GET", USERS + "auth-methods", null)).at("/otp/enabled").asBoolean())
                    .as("node B learns of the change from the database's notification").isTrue());
            HttpResponse<String> otp = b.send("POST", USERS + "request-otp", "{\"email\":\"dan@example.com\"}");
            assertThat(otp.statusCode()).as(otp.body()).isEqualTo(200);
            String otpId = JSON.readTree(otp.body()).get("otpId").asText();
            Eventually.holds(() -> assertThat(mail.to("dan@example.com")).hasSize(2));
            String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mail.to("dan@example.com").get(1)).replace("=\r\n", "");
            java.util.regex.Matcher code = java.util.regex.Pattern.compile("<strong>(\\d+)</strong>").matcher(body);
            assertThat(code.find()).isTrue();
            HttpResponse<String> in = a.send("POST", USERS + "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code.group(1) + "\"}");
            assertThat(in.statusCode()).as("a code mailed by node B signs in on node A: " + in.body()).isEqualTo(200);
        }
    }
}
