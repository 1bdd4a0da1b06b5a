package dev.nanodb.accounts;

import static dev.nanodb.accounts.Users.json;
import static dev.nanodb.accounts.Users.post;
import static dev.nanodb.accounts.Users.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.auth.Passwords;
import dev.nanodb.store.Record;
import dev.nanodb.store.WriteOp;
import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One-time codes and multi-factor sign-in over real HTTP with mail through GreenMail, on both backends: a code works
 * once, for its account, within its lifetime and five guesses; a first factor of an account MFA covers answers 401
 * {@code {mfaId}}, and only another method completes it.
 */
class OtpMfaTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final String USERS = Users.ROUTES;
    private static final Pattern CODE = Pattern.compile("<strong>(\\d+)</strong>");
    private final MailBox mail = new MailBox(SMTP);




    private String code(String to, int nth) {
        var messages = mail.to(to);
        Matcher m = CODE.matcher(GreenMailUtil.getBody(messages.get(nth)).replace("=\r\n", ""));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private String requestOtp(TestServer s, String email, int nth) throws Exception {
        HttpResponse<String> r = post(s, "request-otp", "{\"email\":\"" + email + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        dev.nanodb.testing.Eventually.holds(() -> assertThat(mail.to(email)).hasSize(nth + 1));
        return json(r).get("otpId").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void aCodeSignsInOnceVerifiesTheAddressAndEndsTheSquattersPassword(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            mail.use(s);
            s.signUp("ann@example.com");
            assertThat(post(s, "request-otp", "{\"email\":\"ann@example.com\"}").statusCode()).as("disabled").isEqualTo(403);
            assertThat(s.patch("/api/collections/users", "{\"otp\":{\"enabled\":true,\"length\":6}}").statusCode()).isEqualTo(200);
            HttpResponse<String> unknown = post(s, "request-otp", "{\"email\":\"nobody@example.com\"}");
            assertThat(unknown.statusCode()).isEqualTo(200);
            assertThat(json(unknown).get("otpId").asText()).hasSize(15);
            String otpId = requestOtp(s, "ann@example.com", 0);
            assertThat(mail.to("nobody@example.com")).isEmpty();
            assertThat(mail.only("ann@example.com").getSubject()).isEqualTo("Your Acme sign-in code");
            String code = code("ann@example.com", 0);
            assertThat(code).hasSize(6);

            assertThat(post(s, "auth-with-otp", "{\"otpId\":\"" + json(unknown).get("otpId").asText() + "\",\"password\":\"" + code + "\"}")
                    .statusCode()).isEqualTo(400);
            assertThat(post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"000000x\"}").statusCode()).isEqualTo(400);
            HttpResponse<String> in = post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code + "\"}");
            assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
            assertThat(json(in).get("token").asText()).isNotEmpty();
            assertThat(json(in).at("/record/verified").asBoolean()).isTrue();
            assertThat(post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code + "\"}").statusCode())
                    .as("a code works once").isEqualTo(400);
            assertThat(post(s, "auth-with-password", "{\"identity\":\"ann@example.com\",\"password\":\"password123\"}").statusCode())
                    .as("the password chosen before the address was proven no longer works").isEqualTo(400);
            assertThat(s.store().query(new dev.nanodb.store.Query("_otps", null, List.of(), 1, 10, true)).items()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void fiveWrongGuessesLockTheCodeAndAnExpiredCodeIsRefused(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            mail.use(s);
            String id = s.signUp("bob@example.com");
            s.patch("/api/collections/users", "{\"otp\":{\"enabled\":true}}");
            String otpId = requestOtp(s, "bob@example.com", 0);
            String code = code("bob@example.com", 0);
            for (int i = 0; i < 5; i++) {
                assertThat(post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"99999999\"}").statusCode()).isEqualTo(400);
            }
            assertThat(post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code + "\"}").statusCode())
                    .as("locked even for the right code").isEqualTo(429);

            String usersId = s.store().collection("users").orElseThrow().id();
            try (Passwords passwords = new Passwords(4)) {
                String hash = passwords.hash("12345678").join();
                Record old = new Record("oldotp000000000", "2020-01-01T00:00:00.000Z", "2020-01-01T00:00:00.000Z", 1,
                        Map.of("collectionRef", usersId, "recordRef", id, "password", hash, "sentTo", "bob@example.com"));
                s.store().write(List.of(new WriteOp.Create("_otps", old))).join();
            }
            HttpResponse<String> expired = post(s, "auth-with-otp", "{\"otpId\":\"oldotp000000000\",\"password\":\"12345678\"}");
            assertThat(expired.statusCode()).as(expired.body()).isEqualTo(400);
            assertThat(json(expired).get("message").asText()).isEqualTo("Invalid or expired OTP.");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lmdb", "postgres"})
    void mfaNeedsASecondMethodThatNamesTheSession(String backend) throws Exception {
        try (TestServer s = start(backend)) {
            mail.use(s);
            s.signUp("cat@example.com");
            s.signUp("vip.dan@example.com");
            HttpResponse<String> on = s.patch("/api/collections/users", "{\"otp\":{\"enabled\":true},\"mfa\":{\"enabled\":true,\"rule\":\"email ~ 'cat'\"}}");
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
            String password = "{\"identity\":\"cat@example.com\",\"password\":\"password123\"}";
            HttpResponse<String> first = post(s, "auth-with-password", password);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(401);
            String mfaId = json(first).get("mfaId").asText();
            assertThat(json(first).has("token")).isFalse();
            assertThat(s.send("POST", "/api/auth/login", "{\"email\":\"cat@example.com\",\"password\":\"password123\"}").statusCode())
                    .as("the seed's login asks for the second factor too").isEqualTo(401);
            assertThat(post(s, "auth-with-password?mfaId=" + mfaId, password).statusCode())
                    .as("the same method twice").isEqualTo(400);
            assertThat(post(s, "auth-with-password", "{\"identity\":\"vip.dan@example.com\",\"password\":\"password123\"}").statusCode())
                    .as("the rule leaves dan out of MFA").isEqualTo(200);

            s.signUp("cat.eve@example.com");
            String evesSession = json(post(s, "auth-with-password", "{\"identity\":\"cat.eve@example.com\",\"password\":\"password123\"}"))
                    .get("mfaId").asText();
            String burnt = requestOtp(s, "cat@example.com", 0);
            HttpResponse<String> crossed = post(s, "auth-with-otp", "{\"otpId\":\"" + burnt + "\",\"password\":\""
                    + code("cat@example.com", 0) + "\",\"mfaId\":\"" + evesSession + "\"}");
            assertThat(crossed.statusCode()).as("cat's code with eve's session").isEqualTo(400);
            assertThat(json(crossed).get("message").asText()).isEqualTo("Invalid MFA session.");

            String otpId = requestOtp(s, "cat@example.com", 1);
            String code = code("cat@example.com", 1);
            HttpResponse<String> second = post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code
                    + "\",\"mfaId\":\"" + mfaId + "\"}");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(json(second).get("token").asText()).isNotEmpty();
            assertThat(post(s, "auth-with-password", password).statusCode())
                    .as("with MFA on, a code that verifies the address keeps the password (401: its first factor holds)").isEqualTo(401);
            assertThat(post(s, "auth-with-otp", "{\"otpId\":\"" + otpId + "\",\"password\":\"" + code
                    + "\",\"mfaId\":\"" + mfaId + "\"}").statusCode()).as("the session and the code worked once").isEqualTo(400);
        }
    }
}
