package dev.nanodb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void defaultsMatchTheProductContract() {
        Config c = ConfigLoader.load(Map.of(), null);
        assertThat(c.port()).isEqualTo(3000);
        assertThat(c.dbPath()).isEqualTo(Path.of("./data"));
        assertThat(c.jwtExpiresIn()).isEqualTo(Duration.ofDays(7));
        assertThat(c.maxBatchSize()).isEqualTo(100);
        assertThat(c.durable()).isTrue();
        assertThat(c.production()).isFalse();
        assertThat(c.maxBodySize()).isEqualTo(1 << 20);
        assertThat(c.corsOrigins()).containsExactly("*");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PORT|abc|PORT", "PORT|70000|PORT", "NANODB_ENV|staging|NANODB_ENV", "DB_MAX_SIZE|lots|DB_MAX_SIZE",
        "JWT_EXPIRES_IN|forever|JWT_EXPIRES_IN", "JWT_SECRET|short|JWT_SECRET", "MAX_BATCH_SIZE|0|MAX_BATCH_SIZE",
        "DB_DURABILITY|maybe|DB_DURABILITY", "AUTO_COLLECTIONS|perhaps|AUTO_COLLECTIONS",
        "DATABASE_URL|mysql://x|DATABASE_URL", "MAX_BODY_SIZE|10|MAX_BODY_SIZE",
        "RATE_LIMITS|/api|RATE_LIMITS", "RATE_LIMITS|/api 10|RATE_LIMITS", "RATE_LIMITS|api 10/1m|RATE_LIMITS",
        "RATE_LIMITS|FETCH /api 10/1m|RATE_LIMITS", "RATE_LIMITS|/api 0/1m|RATE_LIMITS",
        "RATE_LIMITS|/api 10/500ms|RATE_LIMITS", "RATE_LIMITS|/api 10/2d|RATE_LIMITS",
        "RATE_LIMITS|/api/col* 10/1m|RATE_LIMITS", "RATE_LIMITS|/api//x 10/1m|RATE_LIMITS",
        "RATE_LIMITS|GET /api 1/1s, GET /api/ 2/1s|RATE_LIMITS", "RATE_LIMITS|GET /api x 1/1s|RATE_LIMITS",
        "RATE_LIMIT_MAX_KEYS|lots|RATE_LIMIT_MAX_KEYS", "RATE_LIMIT_MAX_KEYS|10|RATE_LIMIT_MAX_KEYS",
        "RATE_LIMIT_IPV6_PREFIX|31|RATE_LIMIT_IPV6_PREFIX", "RATE_LIMIT_IPV6_PREFIX|129|RATE_LIMIT_IPV6_PREFIX",
        "RATE_LIMIT_IPV6_PREFIX|/64|RATE_LIMIT_IPV6_PREFIX",
        "TRUSTED_PROXIES|proxy.example.com|TRUSTED_PROXIES", "TRUSTED_PROXIES|10.0.0.0/33|TRUSTED_PROXIES",
        "TRUSTED_PROXIES|10.0.0.256|TRUSTED_PROXIES", "TRUSTED_PROXIES|::1/129|TRUSTED_PROXIES",
        "CORS_ORIGINS|*, https://a.example.com|CORS_ORIGINS", "CORS_ORIGINS|a.example.com|CORS_ORIGINS",
        "CORS_ORIGINS|https://a.example.com/app|CORS_ORIGINS", "CORS_ORIGINS|' , '|CORS_ORIGINS",
        "S3_BUCKET|files|S3_ACCESS_KEY", "S3_FORCE_PATH_STYLE|maybe|S3_FORCE_PATH_STYLE",
        "LOCAL_STORAGE_SHARED|nfs|LOCAL_STORAGE_SHARED", "INVALID_TOKEN|anonymous|INVALID_TOKEN", "INVALID_TOKEN|401|INVALID_TOKEN"})
    void malformedValuesNameTheirKey(String key, String value, String named) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(key, value), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(named + ":");
    }

    /** INVALID_TOKEN: guest (PocketBase's behaviour) unless reject is chosen, in any letter case. */
    @Test
    void invalidTokensAreGuestsUnlessRejectIsChosen() {
        assertThat(ConfigLoader.load(Map.of(), null).invalidToken()).isEqualTo(Config.InvalidToken.GUEST);
        assertThat(ConfigLoader.load(Map.of("INVALID_TOKEN", "Reject"), null).invalidToken()).isEqualTo(Config.InvalidToken.REJECT);
        assertThat(ConfigLoader.load(Map.of("INVALID_TOKEN", "guest"), null).invalidToken()).isEqualTo(Config.InvalidToken.GUEST);
    }

    /** A shared storage folder contradicts a bucket, and means nothing to the embedded store's single node. */
    @Test
    void localStorageSharedIsForLocalFilesOnPostgresql() {
        Map<String, String> s3 = Map.of("S3_BUCKET", "files", "S3_ACCESS_KEY", "k", "S3_SECRET", "s");
        Map<String, String> both = new java.util.HashMap<>(s3);
        both.put("LOCAL_STORAGE_SHARED", "true");
        assertThatThrownBy(() -> ConfigLoader.load(both, null)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("LOCAL_STORAGE_SHARED:").hasMessageContaining("S3_BUCKET");
        assertThat(ConfigLoader.load(s3, null).localStorageShared()).isFalse();
        Config alone = ConfigLoader.load(Map.of("LOCAL_STORAGE_SHARED", "1"), null);
        assertThat(alone.localStorageShared()).isTrue();
        assertThat(alone.warnings()).anyMatch(w -> w.startsWith("LOCAL_STORAGE_SHARED has no effect without DATABASE_URL"));
        Config pg = ConfigLoader.load(Map.of("LOCAL_STORAGE_SHARED", "true", "DATABASE_URL", "postgres://db/x"), null);
        assertThat(pg.localStorageShared()).isTrue();
        assertThat(pg.warnings()).isEmpty();
    }

    @Test
    void rateLimitRulesAreReadWithMethodPathCountAndWindow() {
        Config c = ConfigLoader.load(Map.of("RATE_LIMITS",
                "POST /api/collections/*/auth-with-password 10/1m, /api/ 300/10s,get /api/x/ 5/1h"), null);
        assertThat(c.traffic().rateLimits()).containsExactly(
                new Config.RouteLimit("POST", "/api/collections/*/auth-with-password", 10, Duration.ofMinutes(1)),
                new Config.RouteLimit("*", "/api", 300, Duration.ofSeconds(10)),
                new Config.RouteLimit("GET", "/api/x", 5, Duration.ofHours(1)));
        assertThat(ConfigLoader.load(Map.of("RATE_LIMITS", ""), null).traffic().rateLimits()).isEmpty();
    }

    @Test
    void theAuthRoutesAreRateLimitedByDefaultAndNoProxyIsTrusted() {
        Config.Traffic t = ConfigLoader.load(Map.of(), null).traffic();
        assertThat(t.rateLimits()).extracting(l -> l.method() + " " + l.path()).containsExactly(
                "POST /api/auth/login", "POST /api/collections/*/auth-with-password",
                "POST /api/collections/*/auth-with-oauth2", "POST /api/collections/*/auth-refresh", "POST /api/collections/users/records",
                "POST /api/collections/*/request-verification", "POST /api/collections/*/request-password-reset",
                "POST /api/collections/*/request-email-change", "POST /api/collections/*/confirm-verification",
                "POST /api/collections/*/confirm-password-reset", "POST /api/collections/*/confirm-email-change",
                "POST /api/collections/*/request-otp", "POST /api/collections/*/auth-with-otp");
        assertThat(t.maxKeys()).isEqualTo(20_000);
        assertThat(t.trustedProxies()).isEmpty();
        assertThat(t.ipv6Prefix()).isEqualTo(64);
    }

    /** The example file is where operators learn the settings: it must show every key this version reads. */
    @Test
    void envExampleListsEveryKey() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(".env.example"));
        for (String key : Config.KEYS.keySet()) {
            assertThat(lines).as(".env.example lists " + key).anyMatch(l -> l.startsWith(key + "="));
        }
    }

    @Test
    void theIpv6PrefixAcceptsThirtyTwoToOneHundredTwentyEightBits() {
        assertThat(ConfigLoader.load(Map.of("RATE_LIMIT_IPV6_PREFIX", "32"), null).traffic().ipv6Prefix()).isEqualTo(32);
        assertThat(ConfigLoader.load(Map.of("RATE_LIMIT_IPV6_PREFIX", " 128 "), null).traffic().ipv6Prefix()).isEqualTo(128);
    }

    @Test
    void trustedProxiesAreAddressesOrCidrBlocks() {
        Config.Traffic t = ConfigLoader.load(Map.of("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8",
                "RATE_LIMIT_MAX_KEYS", "5000"), null).traffic();
        assertThat(t.trustedProxies()).extracting(IpRange::toString).containsExactly("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8");
        assertThat(t.trustedProxies().get(1).contains(IpRange.address("10.200.3.4"))).isTrue();
        assertThat(t.trustedProxies().get(1).contains(IpRange.address("11.0.0.1"))).isFalse();
        assertThat(t.trustedProxies().get(3).contains(IpRange.address("fd12::1"))).isTrue();
        assertThat(t.maxKeys()).isEqualTo(5000);
    }

    @Test
    void corsOriginsAreStarOrAListOfOrigins() {
        assertThat(ConfigLoader.load(Map.of("CORS_ORIGINS", "https://a.example.com, http://localhost:5173"), null)
                .corsOrigins()).containsExactly("https://a.example.com", "http://localhost:5173");
    }

    @Test
    void dotEnvIsReadAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "# comment\nexport PORT=4000\nDB_PATH=\"/tmp/x y\"\nMAX_BATCH_SIZE=50 # inline\nJWT_EXPIRES_IN=12h\n");
        Config c = ConfigLoader.load(Map.of("PORT", "5000"), env);
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.dbPath()).isEqualTo(Path.of("/tmp/x y"));
        assertThat(c.maxBatchSize()).isEqualTo(50);
        assertThat(c.jwtExpiresIn()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void unknownDotEnvKeysWarnAndSeedKeysAreUnderstood(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "PORTT=1\nNODE_ENV=production\nMAX_SCAN_LIMIT=100\nFLUSH_INTERVAL=50\n");
        Config c = ConfigLoader.load(Map.of(), env);
        assertThat(c.production()).isTrue();
        assertThat(c.warnings()).anyMatch(w -> w.contains("PORTT"))
                .anyMatch(w -> w.startsWith("MAX_SCAN_LIMIT"))
                .anyMatch(w -> w.startsWith("FLUSH_INTERVAL"));
    }

    @Test
    void malformedDotEnvLineIsReported(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "PORT=1\nthis is not a setting\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), env)).hasMessageContaining("line 2");
    }

    @Test
    void sizesAndDurationsHaveUnits() {
        Config c = ConfigLoader.load(Map.of("DB_MAX_SIZE", "2GB", "MAX_BODY_SIZE", "512KB", "JWT_EXPIRES_IN", "90"), null);
        assertThat(c.dbMaxSize()).isEqualTo(2L << 30);
        assertThat(c.maxBodySize()).isEqualTo(512 << 10);
        assertThat(c.jwtExpiresIn()).isEqualTo(Duration.ofSeconds(90));
    }
}
