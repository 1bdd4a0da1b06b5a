package dev.nanodb.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.Server;
import dev.nanodb.config.Config;
import dev.nanodb.config.ConfigException;
import dev.nanodb.collections.RulesFile;
import dev.nanodb.store.lmdb.LmdbStore;
import dev.nanodb.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens before the first request: the first superuser, the generated token secret kept across restarts,
 * the rules file (applied, or stopping the start-up with a message naming the collection and the rule), and the
 * refusals of production mode.
 */
class StartupTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Config config(Map<String, String> extra) {
        return TestServer.config(dir.resolve("data"), extra);
    }

    private Server start(Map<String, String> extra) {
        Config c = config(extra);
        return Server.start(c, new LmdbStore(c.dbPath().toFile(), c.initialMapSize(), c.dbMaxSize(), c.durable()));
    }

    private HttpResponse<String> send(Server s, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login(Server s, String email, String password) throws Exception {
        HttpResponse<String> r = send(s, "POST", "/api/collections/_superusers/auth-with-password",
                "{\"identity\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String body = r.body();
        int at = body.indexOf("\"token\":\"") + 9;
        return body.substring(at, body.indexOf('"', at));
    }

    @Test
    void theFirstStartCreatesTheConfiguredSuperuserOnceAndTokensSurviveARestart() throws Exception {
        Map<String, String> env = Map.of("NANODB_ADMIN_EMAIL", "Root@Example.com", "NANODB_ADMIN_PASSWORD", "a-long-secret-1");
        String token;
        try (Server s = start(env)) {
            token = login(s, "root@example.com", "a-long-secret-1");
            assertThat(s.store().count("_superusers", null)).isEqualTo(1);
        }
        assertThat(dir.resolve("data").resolve("jwt.secret")).as("the generated secret lives in the store").doesNotExist();
        try (Server s = start(Map.of("NANODB_ADMIN_EMAIL", "other@example.com", "NANODB_ADMIN_PASSWORD", "another-secret"))) {
            assertThat(s.store().count("_superusers", null)).as("no second superuser on a later start").isEqualTo(1);
            assertThat(send(s, "GET", "/api/collections", null, token).statusCode()).as("the generated secret was kept").isEqualTo(200);
        }
    }

    @Test
    void aDataFolderWithAnEarlierSecretFileKeepsItsTokens() throws Exception {
        String legacy = "L".repeat(64);
        String token;
        try (Server s = start(Map.of("JWT_SECRET", legacy))) {
            token = login(s, "admin@local.host", "password123");
        }
        Files.writeString(dir.resolve("data").resolve("jwt.secret"), legacy + "\n");
        try (Server s = start(Map.of())) {
            assertThat(send(s, "GET", "/api/collections", null, token).statusCode()).isEqualTo(200);
            assertThat(s.store().sharedSecret("jwt", () -> "not used")).as("imported into the store").isEqualTo(legacy);
        }
        Files.delete(dir.resolve("data").resolve("jwt.secret"));
        try (Server s = start(Map.of())) {
            assertThat(send(s, "GET", "/api/collections", null, token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aConfiguredSecretSignsTokensThatAGeneratedOneRefuses() throws Exception {
        String token;
        try (Server s = start(Map.of("JWT_SECRET", "x".repeat(40)))) {
            token = login(s, "admin@local.host", "password123");
        }
        try (Server s = start(Map.of())) {
            assertThat(send(s, "GET", "/api/collections", null, token).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void productionRefusesAMissingSecretAndTheDefaultPassword() {
        assertThatThrownBy(() -> start(Map.of("NANODB_ENV", "production")))
                .isInstanceOf(Server.Refused.class).hasMessageContaining("JWT_SECRET");
        assertThatThrownBy(() -> start(Map.of("NANODB_ENV", "production", "JWT_SECRET", "s".repeat(32))))
                .isInstanceOf(Server.Refused.class).hasMessageContaining("default superuser password");
    }

    @Test
    void productionStartsWithASecretAndAChangedPassword() throws Exception {
        try (Server s = start(Map.of("NANODB_ENV", "production", "JWT_SECRET", "s".repeat(32),
                "NANODB_ADMIN_PASSWORD", "not-the-default"))) {
            assertThat(login(s, "admin@local.host", "not-the-default")).isNotBlank();
        }
        try (Server s = start(Map.of("NANODB_ENV", "production", "JWT_SECRET", "s".repeat(32)))) {
            assertThat(s.port()).as("a later start checks the stored password, not the setting").isPositive();
        }
    }

    @Test
    void productionRefusesAStoredDefaultPasswordOnALaterStart() {
        start(Map.of()).close();
        assertThatThrownBy(() -> start(Map.of("NANODB_ENV", "production", "JWT_SECRET", "s".repeat(32),
                "NANODB_ADMIN_PASSWORD", "configured-too-late")))
                .isInstanceOf(Server.Refused.class).hasMessageContaining("default superuser password");
    }

    @Test
    void aRulesFileIsAppliedAtStartUp() throws Exception {
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, "{\"posts\": {\"listRule\": \"\", \"viewRule\": \"\", \"deleteRule\": null},"
                + " \"users\": {\"listRule\": \"verified = true\"}}");
        try (Server s = start(Map.of())) {
            var posts = s.store().collection("posts").orElseThrow();
            assertThat(posts.rules().listRule()).isEqualTo("");
            assertThat(posts.rules().deleteRule()).isNull();
            assertThat(posts.rules().createRule()).as("unnamed rules take the seed defaults").isEqualTo("@request.auth.id != \"\"");
            assertThat(s.store().collection("users").orElseThrow().rules().listRule()).isEqualTo("verified = true");
            assertThat(send(s, "GET", "/api/collections/posts/records", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBadRuleInTheRulesFileStopsTheStartUpNamingCollectionAndRule() throws IOException {
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, "{\"posts\": {\"listRule\": \"\"}, \"users\": {\"viewRule\": \"id = \"}}");
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(RulesFile.Invalid.class)
                .hasMessageContaining("users.viewRule").hasMessageContaining("rules.json");
        Files.writeString(rules, "{\"posts\": {\"listRule\": \"nosuch.field ~ \"}}");
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(RulesFile.Invalid.class).hasMessageContaining("posts.listRule");
        Files.writeString(rules, "{\"posts\": {\"readRule\": \"\"}}");
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(RulesFile.Invalid.class).hasMessageContaining("posts.readRule");
        Files.writeString(rules, "{\"posts\": ");
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(RulesFile.Invalid.class).hasMessageContaining("not a JSON object");
        Files.writeString(rules, "{\"users\": {\"listRule\": \"nosuch = 1\"}}");
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(RulesFile.Invalid.class)
                .hasMessageContaining("users.listRule").hasMessageContaining("Unknown field: nosuch");
    }

    @Test
    void nothingOfABadRulesFileIsApplied() throws Exception {
        Files.writeString(dir.resolve("rules.json"), "{\"posts\": {\"listRule\": \"\"}, \"users\": {\"viewRule\": \"(\"}}");
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(RulesFile.Invalid.class);
        Files.delete(dir.resolve("rules.json"));
        try (Server s = start(Map.of())) {
            assertThat(s.store().collection("posts")).isEmpty();
            assertThat(s.store().collection("users").orElseThrow().rules().viewRule()).isEqualTo("id = @request.auth.id");
        }
    }

    @Test
    void anExplicitRulesFileMustExist() {
        assertThatThrownBy(() -> start(Map.of("RULES_FILE", dir.resolve("missing.json").toString())))
                .isInstanceOf(RulesFile.Invalid.class).hasMessageContaining("missing.json");
    }

    @Test
    void authSettingsAreValidated() {
        assertThatThrownBy(() -> config(Map.of("BCRYPT_COST", "3"))).isInstanceOf(ConfigException.class).hasMessageContaining("BCRYPT_COST");
        assertThatThrownBy(() -> config(Map.of("AUTH_RATE_LIMIT", "ten"))).isInstanceOf(ConfigException.class).hasMessageContaining("AUTH_RATE_LIMIT");
        assertThatThrownBy(() -> config(Map.of("JWT_SECRET", "short"))).isInstanceOf(ConfigException.class).hasMessageContaining("JWT_SECRET");
        assertThat(config(Map.of("AUTH_RATE_LIMIT", "5/30s")).authRateLimit()).isEqualTo(new Config.RateLimit(5, java.time.Duration.ofSeconds(30)));
        assertThat(config(Map.of()).bcryptCost()).isEqualTo(4);
    }

    @Test
    void aTooLongOrShortAdminPasswordIsAConfigurationError() {
        assertThatThrownBy(() -> config(Map.of("NANODB_ADMIN_PASSWORD", "p".repeat(73))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NANODB_ADMIN_PASSWORD");
        assertThatThrownBy(() -> config(Map.of("NANODB_ADMIN_PASSWORD", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NANODB_ADMIN_PASSWORD");
        assertThatThrownBy(() -> config(Map.of("NANODB_ADMIN_EMAIL", "admin")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("NANODB_ADMIN_EMAIL");
    }
}
