package dev.nanodb.api;

import static dev.nanodb.api.Step.get;
import static dev.nanodb.api.Step.patch;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.testing.Eventually;
import dev.nanodb.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code /api/crons} and the {@code backups} settings that schedule backups: the built-in jobs listed by id,
 * superusers only, "run now" in the background (204) or 404; the scheduled backup job follows
 * {@code backups.cron} on LMDB and is refused with its settings on PostgreSQL; scheduled backups are named as
 * PocketBase's and only the newest {@code cronMaxKeep} of them are kept.
 */
class CronsApiTest {
    private static final String CRONS = "/api/crons";
    private static final String SWEEP = "__nanodbFilesSweep__";
    private static final String AUTO = "__pbAutoBackup__";

    @TestFactory
    Stream<DynamicTest> crons() {
        List<Scenario> all = new ArrayList<>(Backends.both(common()));
        all.addAll(lmdbOnly());
        all.addAll(postgresOnly());
        return ScenarioRunner.tests(all);
    }

    static List<Scenario> common() {
        return List.of(
                Scenario.named("a superuser lists the built-in jobs with their expressions, by id")
                        .when(get(CRONS).expect(200).size("", 4).at("/0/id", SWEEP).at("/0/expression", "0 * * * *")
                                .at("/1/id", "__pbLogsCleanup__").at("/1/expression", "0 * * * *")
                                .at("/2/id", "__pbMFACleanup__").at("/2/expression", "0 * * * *")
                                .at("/3/id", "__pbOTPCleanup__").at("/3/expression", "0 * * * *")),
                Scenario.named("running a job answers 204 at once")
                        .when(post(CRONS + "/" + SWEEP, null).expect(204)),
                Scenario.named("an unknown job and a disabled one are 404")
                        .when(post(CRONS + "/nope", null).expect(404).at("/message", "Missing or invalid cron job"))
                        .then(post(CRONS + "/" + AUTO, null).expect(404), post(CRONS + "/..%2F" + SWEEP, null).expect(404)),
                Scenario.named("without a token the crons are 401, for a user 403").users("alice")
                        .when(get(CRONS).as("anon").expect(401))
                        .then(post(CRONS + "/" + SWEEP, null).as("anon").expect(401), get(CRONS).as("alice").expect(403),
                                post(CRONS + "/" + SWEEP, null).as("alice").expect(403)),
                Scenario.named("the backups settings have PocketBase's shape and defaults, without the S3 secret")
                        .when(get("/api/settings").expect(200).at("/backups/cron", "").at("/backups/cronMaxKeep", 3)
                                .at("/backups/s3/enabled", false).at("/backups/s3/bucket", "").at("/backups/s3/forcePathStyle", false)
                                .missing("/backups/s3/secret")),
                Scenario.named("invalid backups settings are refused field by field and nothing changes")
                        .when(patch("/api/settings", "{'backups':{'cron':'61 * * * *','cronMaxKeep':-1,'s3':{'enabled':true,"
                                + "'endpoint':'ftp://x','forcePathStyle':'yes'}}}").expect(400)
                                .at("/data/backups/cron/code", "validation_invalid_cron")
                                .at("/data/backups/cronMaxKeep/code", "validation_invalid_value")
                                .at("/data/backups/s3/bucket/code", "validation_required")
                                .at("/data/backups/s3/region/code", "validation_required")
                                .at("/data/backups/s3/accessKey/code", "validation_required")
                                .at("/data/backups/s3/secret/code", "validation_required")
                                .at("/data/backups/s3/endpoint/code", "validation_is_url")
                                .at("/data/backups/s3/forcePathStyle/code", "validation_invalid_type"))
                        .then(get("/api/settings").at("/backups/cron", "").at("/backups/s3/enabled", false)),
                Scenario.named("a backups section of the wrong type is refused")
                        .when(patch("/api/settings", "{'backups':'daily'}").expect(400).at("/data/backups/code", "validation_invalid_type")));
    }

    static List<Scenario> lmdbOnly() {
        return List.of(
                Scenario.named("with backups.cron set the scheduled backup job is listed, by id [lmdb]")
                        .given(patch("/api/settings", "{'backups':{'cron':'0 3 * * *','cronMaxKeep':2}}").expect(200)
                                .at("/backups/cron", "0 3 * * *").at("/backups/cronMaxKeep", 2))
                        .when(get(CRONS).expect(200).size("", 5).at("/0/id", SWEEP).at("/1/id", AUTO).at("/1/expression", "0 3 * * *"))
                        .then(patch("/api/settings", "{'backups':{'cron':'@daily'}}").expect(200),
                                get(CRONS).at("/1/expression", "@daily"),
                                patch("/api/settings", "{'backups':{'cron':''}}").expect(200), get(CRONS).size("", 4)),
                Scenario.named("a schedule needs cronMaxKeep of at least 1 [lmdb]")
                        .when(patch("/api/settings", "{'backups':{'cron':'@daily','cronMaxKeep':0}}").expect(400)
                                .at("/data/backups/cronMaxKeep/code", "validation_required"))
                        .then(get(CRONS).size("", 4)),
                Scenario.named("an S3 bucket for backups is kept and its secret never answered [lmdb]")
                        .when(patch("/api/settings", "{'backups':{'s3':{'enabled':false,'bucket':'b','region':'r',"
                                + "'endpoint':'http://127.0.0.1:1','accessKey':'k','secret':'sekret-S3-x'}}}").expect(200)
                                .at("/backups/s3/bucket", "b").lacks("sekret-S3-x"))
                        .then(get("/api/settings").at("/backups/s3/endpoint", "http://127.0.0.1:1").lacks("sekret-S3-x"),
                                patch("/api/settings", "{'backups':{'s3':{'enabled':true,'secret':''}}}").expect(200)
                                        .at("/backups/s3/enabled", true)));
    }

    static List<Scenario> postgresOnly() {
        return List.of(Scenario.named("on PostgreSQL a backup schedule or bucket is refused and no backup job is listed [postgres]")
                .env(TestServer.BACKEND, TestServer.POSTGRES)
                .when(patch("/api/settings", "{'backups':{'cron':'@daily','s3':{'enabled':true,'bucket':'b','region':'r',"
                        + "'endpoint':'http://127.0.0.1:1','accessKey':'k','secret':'s'}}}").expect(400)
                        .at("/data/backups/cron/code", "validation_backups_unavailable")
                        .at("/data/backups/s3/enabled/code", "validation_backups_unavailable"))
                .then(get(CRONS).size("", 4).at("/0/id", SWEEP), patch("/api/settings", "{'backups':{'cron':'','cronMaxKeep':5}}")
                        .expect(200).at("/backups/cronMaxKeep", 5)));
    }

    /** Scheduled backups at 03:00 on three days, keeping 2: the first is removed, a backup made by hand stays. */
    @Test
    void scheduledBackupsAreNamedAsPocketBasesAndOnlyTheNewestAreKept() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.post("/api/collections/notes/records", "{\"a\":1}");
            assertThat(s.patch("/api/settings", "{\"meta\":{\"appName\":\"My App!\"},\"backups\":{\"cron\":\"0 3 * * *\",\"cronMaxKeep\":2}}")
                    .statusCode()).isEqualTo(200);
            assertThat(s.post("/api/backups", "{\"name\":\"manual.zip\"}").statusCode()).isEqualTo(204);
            assertThat(s.crons().tick(Instant.parse("2024-09-16T03:01:00Z")).get(30, TimeUnit.SECONDS)).as("not due").isEmpty();
            List<String> made = new ArrayList<>();
            for (String day : List.of("16", "17", "18")) {
                assertThat(s.crons().tick(Instant.parse("2024-09-" + day + "T03:00:00Z")).get(60, TimeUnit.SECONDS)).contains(AUTO);
                List<String> keys = keys(s);
                made.add(keys.stream().filter(k -> k.startsWith("@auto") && !made.contains(k)).findFirst().orElseThrow());
            }
            assertThat(made).allMatch(k -> k.matches("@auto_pb_backup_my_app_\\d{14}(_\\d)?\\.zip"));
            assertThat(keys(s)).containsExactlyInAnyOrder("manual.zip", made.get(1), made.get(2));
            var download = s.get("/api/backups/" + made.get(2).replace("@", "%40"));
            assertThat(download.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void runNowTakesAScheduledBackupInTheBackground() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.patch("/api/settings", "{\"backups\":{\"cron\":\"0 0 1 1 *\"}}").statusCode()).isEqualTo(200);
            assertThat(s.post(CRONS + "/" + AUTO, null).statusCode()).isEqualTo(204);
            Eventually.holds(() -> assertThat(keys(s)).singleElement().asString().startsWith("@auto_pb_backup_nanodb_"));
            assertThat(s.delete("/api/backups/" + keys(s).get(0)).statusCode()).isEqualTo(204);
            assertThat(keys(s)).isEmpty();
        }
    }

    @Test
    void theS3SecretIsKeptWhenAPatchLeavesItOut() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.patch("/api/settings", "{\"backups\":{\"s3\":{\"bucket\":\"b\",\"secret\":\"sekret-1\"}}}").statusCode()).isEqualTo(200);
            assertThat(s.patch("/api/settings", "{\"backups\":{\"s3\":{\"bucket\":\"c\"}}}").statusCode()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            Map<String, Object> stored = (Map<String, Object>) s.store().get("_params", "settings0000000").orElseThrow().data().get("value");
            Map<?, ?> s3 = (Map<?, ?>) ((Map<?, ?>) stored.get("backups")).get("s3");
            assertThat(s3.get("secret")).isEqualTo("sekret-1");
            assertThat(s3.get("bucket")).isEqualTo("c");
        }
    }

    /** The hourly cleanups remove the codes and MFA sessions past their collection's duration, on both backends. */
    @Test
    void expiredCodesAndMfaSessionsAreRemovedHourly() throws Exception {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of(TestServer.BACKEND, TestServer.POSTGRES))) {
            if (!env.isEmpty()) dev.nanodb.testing.PgTestDatabase.assumeAvailable();
            try (TestServer s = TestServer.start(env)) {
                String user = s.signUp("otp_owner@example.com");
                Instant now = Instant.now();
                String oldCode = row(s, "_otps", user, now.minusSeconds(3600), Map.of("password", "x", "sentTo", "otp_owner@example.com"));
                String newCode = row(s, "_otps", user, now, Map.of("password", "x", "sentTo", "otp_owner@example.com"));
                String oldMfa = row(s, "_mfas", user, now.minusSeconds(7200), Map.of("method", "password"));
                String newMfa = row(s, "_mfas", user, now.minusSeconds(60), Map.of("method", "password"));
                assertThat(s.crons().tick(Instant.parse("2024-09-16T12:00:00Z")).get(60, TimeUnit.SECONDS))
                        .contains("__pbOTPCleanup__", "__pbMFACleanup__", "__pbLogsCleanup__");
                assertThat(s.store().get("_otps", oldCode)).as("expired code " + env).isEmpty();
                assertThat(s.store().get("_mfas", oldMfa)).as("expired MFA session " + env).isEmpty();
                assertThat(s.store().get("_otps", newCode)).isPresent();
                assertThat(s.store().get("_mfas", newMfa)).isPresent();
            }
        }
    }

    private static String row(TestServer s, String collection, String user, Instant created, Map<String, Object> more) {
        String id = dev.nanodb.schema.Ids.newId();
        String at = dev.nanodb.schema.Times.format(created);
        Map<String, Object> data = new java.util.HashMap<>(more);
        data.put("collectionRef", "pbc_users000000");
        data.put("recordRef", user);
        s.store().write(List.of(new dev.nanodb.store.WriteOp.Create(collection, new dev.nanodb.store.Record(id, at, at, 1, data)))).join();
        return id;
    }

    private static List<String> keys(TestServer s) {
        var r = s.get("/api/backups");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode b : AdversarialTest.json(r.body())) out.add(b.get("key").asText());
        return out;
    }
}
