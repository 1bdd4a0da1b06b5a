package dev.nanodb.accounts;

import static dev.nanodb.accounts.Users.json;
import static dev.nanodb.accounts.Users.post;
import static dev.nanodb.accounts.Users.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.auth.Tokens;
import dev.nanodb.testing.FlowTokens;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verification, password reset and e-mail change over real HTTP, with mail through a real SMTP server (GreenMail),
 * on both backends: each token works once, for its own purpose, record and address only; requests answer alike
 * whether an account exists or not.
 */
class AccountFlowsTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final String USERS = Users.ROUTES;
    private final MailBox mail = new MailBox(SMTP);




    private static void assertInvalidToken(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/data/token/code").asText()).isEqualTo("validation_invalid_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void verificationMarksTheUserVerifiedAndTellsNoStrangerWhetherAnAddressExists(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            mail.use(s);
            String id = s.signUp("ann@example.com");
            HttpResponse<String> known = post(s, "request-verification", "{\"email\":\"Ann@Example.com\"}");
            HttpResponse<String> unknown = post(s, "request-verification", "{\"email\":\"nobody@example.com\"}");
            assertThat(known.statusCode()).isEqualTo(204);
            assertThat(unknown.statusCode()).isEqualTo(204);
            assertThat(unknown.body()).isEqualTo(known.body());
            var message = mail.only("ann@example.com");
            assertThat(message.getSubject()).isEqualTo("Confirm your Acme e-mail address");
            assertThat(mail.to("nobody@example.com")).isEmpty();
            String token = mail.token("ann@example.com");
            assertThat(post(s, "request-verification", "{\"email\":\"ann@example.com\"}").statusCode()).isEqualTo(204);
            assertThat(mail.to("ann@example.com")).as("one message per account per two minutes").hasSize(1);

            assertInvalidToken(post(s, "confirm-password-reset", "{\"token\":\"" + token
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}"));
            assertInvalidToken(s.send("POST", "/api/collections/_superusers/confirm-verification", "{\"token\":\"" + token + "\"}"));
            assertThat(post(s, "confirm-verification", "{\"token\":\"" + token + "\"}").statusCode()).isEqualTo(204);
            assertThat(json(s.get(USERS + "records/" + id)).get("verified").asBoolean()).isTrue();
            assertThat(post(s, "confirm-verification", "{\"token\":\"" + token + "\"}").statusCode())
                    .as("a verified user's token changes nothing more (PocketBase answers 204)").isEqualTo(204);
            assertThat(post(s, "request-verification", "{\"email\":\"nope\"}").statusCode()).isEqualTo(400);
            assertInvalidToken(post(s, "confirm-verification", "{\"token\":\"not.a.token\"}"));
            assertThat(s.send("POST", "/api/collections/_superusers/request-verification", "{\"email\":\"a@b.co\"}").statusCode())
                    .isEqualTo(400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void aPasswordResetWorksOnceAndEndsEveryEarlierToken(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            mail.use(s);
            s.signUp("bob@example.com");
            String oldToken = s.login("users", "bob@example.com", "password123");
            assertThat(post(s, "request-password-reset", "{\"email\":\"bob@example.com\"}").statusCode()).isEqualTo(204);
            String token = mail.token("bob@example.com");
            assertThat(mail.only("bob@example.com").getSubject()).isEqualTo("Reset your Acme password");

            HttpResponse<String> mismatch = post(s, "confirm-password-reset", "{\"token\":\"" + token
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"other-password\"}");
            assertThat(json(mismatch).at("/data/passwordConfirm/code").asText()).isEqualTo("validation_values_mismatch");
            assertThat(post(s, "confirm-password-reset", "{\"token\":\"" + token + "\",\"password\":\"short\",\"passwordConfirm\":\"short\"}")
                    .statusCode()).isEqualTo(400);
            HttpResponse<String> done = post(s, "confirm-password-reset", "{\"token\":\"" + token
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}", "Authorization", "stale.token.here");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(204);

            assertInvalidToken(post(s, "confirm-password-reset", "{\"token\":\"" + token
                    + "\",\"password\":\"new-password-2\",\"passwordConfirm\":\"new-password-2\"}"));
            assertThat(post(s, "auth-with-password", "{\"identity\":\"bob@example.com\",\"password\":\"password123\"}").statusCode())
                    .isEqualTo(400);
            assertThat(s.login("users", "bob@example.com", "new-password-1")).isNotBlank();
            assertThat(post(s, "auth-refresh", null, "Authorization", oldToken).statusCode()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void anExpiredOrForeignResetTokenIsRefused(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            String id = s.signUp("cat@example.com");
            String other = s.signUp("dan@example.com");
            var users = s.store().collection("users").orElseThrow();
            var cat = s.store().get("users", id).orElseThrow();
            Tokens forged = new Tokens("a-secret-that-is-not-the-servers-own-32".getBytes(), Duration.ofDays(1));
            assertInvalidToken(post(s, "confirm-password-reset", "{\"token\":\"" + forged.issueFor("passwordReset", users, cat,
                    Duration.ofMinutes(5), Map.of("email", "cat@example.com")) + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}"));
            String expired = FlowTokens.issue(s, "passwordReset", "users", id, Duration.ofSeconds(-5), Map.of("email", "cat@example.com"));
            assertInvalidToken(post(s, "confirm-password-reset", "{\"token\":\"" + expired
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}"));
            String forDan = FlowTokens.issue(s, "passwordReset", "users", id, Duration.ofMinutes(5), Map.of("email", "dan@example.com"));
            assertInvalidToken(post(s, "confirm-password-reset", "{\"token\":\"" + forDan
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}"));
            String valid = FlowTokens.reset(s, id);
            assertThat(post(s, "confirm-password-reset", "{\"token\":\"" + valid
                    + "\",\"password\":\"new-password-1\",\"passwordConfirm\":\"new-password-1\"}").statusCode())
                    .as("the same token, made with the server's secret, is accepted: the refusals above are the checks").isEqualTo(204);
            assertThat(s.login("users", "dan@example.com", "password123")).as("dan " + other + " is untouched").isNotBlank();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void anEmailChangeNeedsTheMailedTokenAndThePasswordAndWorksOnce(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            mail.use(s);
            String id = s.signUp("eve@example.com");
            s.signUp("taken@example.com");
            String auth = s.login("users", "eve@example.com", "password123");
            assertThat(post(s, "request-email-change", "{\"newEmail\":\"eve2@example.com\"}").statusCode())
                    .as("anonymous").isEqualTo(401);
            assertThat(post(s, "request-email-change", "{\"newEmail\":\"eve@example.com\"}", "Authorization", auth).statusCode())
                    .isEqualTo(400);
            assertThat(post(s, "request-email-change", "{\"newEmail\":\"eve2@example.com\"}", "Authorization", auth).statusCode())
                    .isEqualTo(204);
            String token = mail.token("eve2@example.com");
            assertThat(mail.to("eve@example.com")).isEmpty();
            HttpResponse<String> wrong = post(s, "confirm-email-change", "{\"token\":\"" + token + "\",\"password\":\"not-her-password\"}");
            assertThat(json(wrong).at("/data/password/code").asText()).isEqualTo("validation_invalid_password");
            assertThat(post(s, "confirm-email-change", "{\"token\":\"" + token + "\",\"password\":\"password123\"}").statusCode())
                    .isEqualTo(204);
            JsonNode user = json(s.get(USERS + "records/" + id));
            assertThat(user.get("email").asText()).isEqualTo("eve2@example.com");
            assertThat(user.get("verified").asBoolean()).isTrue();
            assertInvalidToken(post(s, "confirm-email-change", "{\"token\":\"" + token + "\",\"password\":\"password123\"}"));
            assertThat(post(s, "auth-refresh", null, "Authorization", auth).statusCode()).as("tokens before the change end").isEqualTo(401);
            String fresh = s.login("users", "eve2@example.com", "password123");

            assertThat(post(s, "request-email-change", "{\"newEmail\":\"taken@example.com\"}", "Authorization", fresh).statusCode())
                    .as("no answer tells whether an address is taken").isEqualTo(204);
            String takenToken = mail.token("taken@example.com");
            HttpResponse<String> taken = post(s, "confirm-email-change", "{\"token\":\"" + takenToken + "\",\"password\":\"password123\"}");
            assertThat(json(taken).at("/data/newEmail/code").asText()).isEqualTo("validation_not_unique");
            assertThat(json(s.get(USERS + "records/" + id)).get("email").asText()).isEqualTo("eve2@example.com");
        }
    }
}
