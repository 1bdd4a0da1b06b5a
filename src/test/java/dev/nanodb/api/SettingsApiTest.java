package dev.nanodb.api;

import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.testing.Eventually;
import dev.nanodb.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/settings}: PocketBase's shape, superusers only, validated with nested per-field errors, secrets never
 * answered, the environment's sections read only; {@code /api/settings/test/email} against a real SMTP server
 * (GreenMail) in this JVM.
 */
class SettingsApiTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static String smtpOn() {
        return "{'smtp':{'enabled':true,'host':'127.0.0.1','port':" + SMTP.getSmtp().getPort() + ",'password':'s3cret-Pw'}}";
    }

    @TestFactory
    Stream<DynamicTest> settings() {
        return ScenarioRunner.tests(Backends.both(scenarios()));
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("a superuser reads the settings in PocketBase's shape, with the environment's sections")
                        .when(get("/api/settings").expect(200).at("/meta/appName", "NanoDB").at("/meta/senderName", "Support")
                                .at("/smtp/enabled", false).at("/smtp/port", 587).missing("/smtp/password")
                                .at("/batch/enabled", true).at("/batch/maxRequests", 100).at("/s3/enabled", false)
                                .missing("/s3/secret").present("/rateLimits/rules").present("/trustedProxy/headers")),
                Scenario.named("without a token the settings are 401, for a user 403").users("alice")
                        .when(get("/api/settings").as("anon").expect(401))
                        .then(get("/api/settings").as("alice").expect(403),
                                patch("/api/settings", "{'meta':{'appName':'Mine'}}").as("alice").expect(403),
                                post("/api/settings/test/email", "{'email':'a@b.co','template':'otp'}").as("alice").expect(403),
                                get("/api/settings").at("/meta/appName", "NanoDB")),
                Scenario.named("a PATCH changes what it names and keeps the rest; the password is never answered")
                        .when(patch("/api/settings", "{'meta':{'appName':'Acme','appURL':'https://acme.test'},"
                                + "'smtp':{'enabled':true,'host':'mail.acme.test','port':465,'tls':true,'username':'u','password':'s3cret-Pw','authMethod':'LOGIN'}}")
                                .expect(200).at("/meta/appName", "Acme").at("/meta/senderName", "Support").at("/smtp/host", "mail.acme.test")
                                .at("/smtp/tls", true).missing("/smtp/password").lacks("s3cret-Pw"))
                        .then(get("/api/settings").at("/meta/appURL", "https://acme.test").at("/smtp/port", 465)
                                        .at("/smtp/authMethod", "LOGIN").lacks("s3cret-Pw"),
                                get("/api/collections/_params/records").expect(404).lacks("s3cret-Pw"),
                                get("/api/collections/_params/records/settings0000000").expect(404),
                                patch("/api/collections/_params/records/settings0000000", "{'value':{}}").expect(404),
                                get("/api/collections/_params").expect(200).lacks("s3cret-Pw")),
                Scenario.named("invalid settings are refused field by field, nested as PocketBase nests them, and nothing changes")
                        .when(patch("/api/settings", "{'meta':{'appName':'','appURL':'ftp://x','senderAddress':'nope','senderName':'A\\nB'},"
                                + "'smtp':{'enabled':true,'host':'','port':70000,'authMethod':'CRAM-MD5','tls':'yes'}}").expect(400)
                                .at("/data/meta/appName/code", "validation_required").at("/data/meta/appURL/code", "validation_is_url")
                                .at("/data/meta/senderAddress/code", "validation_is_email")
                                .at("/data/meta/senderName/code", "validation_invalid_value")
                                .at("/data/smtp/host/code", "validation_required").at("/data/smtp/port/code", "validation_invalid_port")
                                .at("/data/smtp/authMethod/code", "validation_in_invalid").at("/data/smtp/tls/code", "validation_invalid_type"))
                        .then(get("/api/settings").at("/meta/appName", "NanoDB").at("/smtp/enabled", false).at("/smtp/host", "")),
                Scenario.named("a section of the wrong type and a host with a space are refused")
                        .when(patch("/api/settings", "{'meta':'Acme','smtp':{'host':'a b'}}").expect(400)
                                .at("/data/meta/code", "validation_invalid_type").at("/data/smtp/host/code", "validation_is_host")),
                Scenario.named("the environment's sections round-trip unchanged, and a change there names the variable")
                        .when(patch("/api/settings", "{'batch':{'enabled':true,'maxRequests':100},'s3':{'enabled':false,'secret':''},"
                                + "'meta':{'appName':'Round'}}").expect(200).at("/meta/appName", "Round"))
                        .then(patch("/api/settings", "{'batch':{'maxRequests':5},'meta':{'appName':'Other'}}").expect(400)
                                        .at("/data/batch/code", "validation_env_managed").matches("/data/batch/message", ".*MAX_BATCH_SIZE.*"),
                                patch("/api/settings", "{'trustedProxy':{'headers':['X-Real-IP']}}").expect(400)
                                        .at("/data/trustedProxy/code", "validation_env_managed"),
                                get("/api/settings").at("/meta/appName", "Round").at("/batch/maxRequests", 100)),
                Scenario.named("a test e-mail with a bad address or template is refused with the field")
                        .when(post("/api/settings/test/email", "{'email':'nope','template':'reset','collection':'posts'}").expect(400)
                                .at("/data/email/code", "validation_is_email").at("/data/template/code", "validation_in_invalid")
                                .at("/data/collection/code", "validation_invalid_auth_collection")),
                Scenario.named("a test e-mail while SMTP is disabled is a 400 that says so")
                        .when(post("/api/settings/test/email", "{'email':'ann@example.com','template':'verification'}").expect(400)
                                .matches("/message", ".*SMTP is not enabled.*")),
                Scenario.named("a test e-mail through a reachable SMTP server is 204")
                        .given(patch("/api/settings", smtpOn()).expect(200))
                        .when(post("/api/settings/test/email", "{'email':'ann@example.com','template':'password-reset'}").expect(204))
                        .then(get("/api/stats").at("/mail/sent", 1).at("/mail/queued", 0).at("/mail/failed", 0)));
    }

    @Test
    void theTestEmailArrivesAndThePasswordIsKeptWhenAPatchLeavesItOut() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.asSuperuser("PATCH", "/api/settings", smtpOn().replace('\'', '"')).statusCode()).isEqualTo(200);
            assertThat(s.asSuperuser("PATCH", "/api/settings", "{\"smtp\":{\"localName\":\"nanodb.test\"},\"meta\":{\"appName\":\"Acme\"}}")
                    .statusCode()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> stored = (Map<String, Object>) s.store().get("_params", "settings0000000").orElseThrow().data().get("value");
            assertThat(((Map<?, ?>) stored.get("smtp")).get("password")).isEqualTo("s3cret-Pw");
            var answer = s.asSuperuser("POST", "/api/settings/test/email", "{\"email\":\"bob@example.com\",\"template\":\"otp\"}");
            assertThat(answer.statusCode()).isEqualTo(204);
            Eventually.holds(() -> assertThat(SMTP.getReceivedMessages()).hasSize(1));
            var m = SMTP.getReceivedMessages()[0];
            assertThat(m.getSubject()).isEqualTo("Your Acme sign-in code");
            assertThat(m.getFrom()[0].toString()).isEqualTo("Support <no-reply@example.com>");
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("bob@example.com");
        }
    }
}
