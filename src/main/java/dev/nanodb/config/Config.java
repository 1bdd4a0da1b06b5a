package dev.nanodb.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The validated settings of one server process. Built by {@link ConfigLoader} from the environment and an
 * optional {@code .env} file; every value here has passed validation, so nothing downstream re-checks it.
 *
 * @param jwtSecret      null when unset (a secret is then generated and kept in the store)
 * @param databaseUrl    null = the embedded LMDB store
 * @param durable        false only when {@code DB_DURABILITY=relaxed} was chosen explicitly
 * @param initialMapSize the LMDB map size to start with; it doubles when full, up to {@code dbMaxSize}
 * @param rulesFile      the rules file applied at start-up ({@code RULES_FILE}, default {@code rules.json} next to
 *                       the data folder); it may be absent unless {@code rulesFileExplicit}
 * @param authRateLimit  login attempts allowed per client (see {@link Traffic#ipv6Prefix}), and separately per
 *                       identity (email)
 * @param traffic        request rate limits per client and route, whose X-Forwarded-For is believed, and how
 *                       IPv6 clients are grouped
 * @param s3             null = records' files on local disk under {@code DB_PATH/storage}
 * @param localStorageShared {@code LOCAL_STORAGE_SHARED}: {@code DB_PATH/storage} is one folder every node mounts,
 *                       so nodes on one PostgreSQL database may keep files there (never true with {@code s3})
 * @param invalidToken   how {@code /api} answers a present but invalid or expired token ({@code INVALID_TOKEN})
 * @param maxBackupUpload the largest backup archive {@code POST /api/backups/upload} accepts ({@code MAX_BACKUP_UPLOAD})
 * @param logsMaxSize    the largest the request logs' file under {@code DB_PATH/logs} may grow ({@code LOGS_MAX_SIZE});
 *                       entries are kept below half of it
 */
public record Config(int port, String host, Path dbPath, long dbMaxSize, long initialMapSize, boolean durable,
                     String jwtSecret, Duration jwtExpiresIn, int maxBatchSize, boolean production,
                     String databaseUrl, boolean autoCollections, String adminEmail, String adminPassword,
                     long maxBodySize, List<String> corsOrigins, int bcryptCost, Path rulesFile,
                     boolean rulesFileExplicit, RateLimit authRateLimit, Realtime realtime, List<String> warnings,
                     Traffic traffic, S3 s3, boolean localStorageShared, InvalidToken invalidToken,
                     long maxBackupUpload, long logsMaxSize) {

    /**
     * {@code INVALID_TOKEN}: what a present but invalid or expired token gets on a route that does not require
     * auth. {@code GUEST} (default, PocketBase's behaviour): the request is answered as anonymous, so an SDK app
     * whose stored token expired still reads public data; routes that require auth still answer 401, as without a
     * token. {@code REJECT}: 401 on every {@code /api} route but the logins, so a client learns its session ended
     * instead of silently seeing less.
     */
    public enum InvalidToken { GUEST, REJECT }

    /**
     * Records' files in an S3-compatible bucket instead of {@code DB_PATH/storage} ({@code S3_*}; null when
     * {@code S3_BUCKET} is not set).
     *
     * @param endpoint  the service URL; null for AWS's own
     * @param prefix    prepended to every object key ({@code ""} or ending in {@code /})
     * @param pathStyle {@code https://host/bucket/key} addressing (MinIO and most S3-compatible servers need it)
     */
    public record S3(String endpoint, String bucket, String region, String accessKey, String secretKey, String prefix,
                     boolean pathStyle) {
        @Override
        public String toString() {
            return "S3[" + endpoint + ", " + bucket + ", " + region + ", " + prefix + "]"; // never the keys
        }
    }

    /**
     * Realtime limits: open streams in all (0 = derived from the heap size at start-up), per client IP, subscriptions per client, bytes a client may leave unread
     * before it is dropped, and how long a PocketBase client may stay connected without any subscription.
     */
    public record Realtime(int maxStreams, int streamsPerIp, int subscriptionsPerClient, int queueBytes,
                           Duration idleTimeout, Duration heartbeat) {}

    /** At most {@code max} events per {@code window} (a fixed window per key). */
    public record RateLimit(int max, Duration window) {}

    /**
     * Request rate limiting ({@code RATE_LIMITS}, {@code RATE_LIMIT_MAX_KEYS}, {@code TRUSTED_PROXIES},
     * {@code RATE_LIMIT_IPV6_PREFIX}).
     *
     * @param rateLimits     the rules from the environment, no two with the same method and path
     * @param maxKeys        the most (rule, client) windows tracked at once
     * @param trustedProxies peers whose {@code X-Forwarded-For} is believed; empty = the socket address only
     * @param ipv6Prefix     32 to 128: the leading bits of an IPv6 address that every per-client limit counts as
     *                       one client (its network); IPv4 clients are always counted per address
     */
    public record Traffic(List<RouteLimit> rateLimits, int maxKeys, List<IpRange> trustedProxies, int ipv6Prefix) {
        public Traffic {
            rateLimits = List.copyOf(rateLimits);
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * At most {@code max} requests per {@code window} from one client IP to paths under {@code path}.
     *
     * @param method an upper-case HTTP method, or {@code "*"} for any
     * @param path   {@code /}-separated segments, each literal or {@code *} (exactly one segment)
     */
    public record RouteLimit(String method, String path, int max, Duration window) {}

    public Config {
        corsOrigins = List.copyOf(corsOrigins);
        warnings = List.copyOf(warnings);
    }

    /** Every key this version understands, with its default ("" = unset), for {@code .env.example} and checks. */
    public static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("PORT", "3000"),
            Map.entry("HOST", "0.0.0.0"),
            Map.entry("DB_PATH", "./data"),
            Map.entry("DB_MAX_SIZE", "64GB"),
            Map.entry("DB_INITIAL_SIZE", "64MB"),
            Map.entry("DB_DURABILITY", "sync"),
            Map.entry("JWT_SECRET", ""),
            Map.entry("JWT_EXPIRES_IN", "7d"),
            Map.entry("MAX_BATCH_SIZE", "100"),
            Map.entry("NANODB_ENV", "development"),
            Map.entry("DATABASE_URL", ""),
            Map.entry("AUTO_COLLECTIONS", "true"),
            Map.entry("NANODB_ADMIN_EMAIL", "admin@local.host"),
            Map.entry("NANODB_ADMIN_PASSWORD", "password123"),
            Map.entry("MAX_BODY_SIZE", "1MB"),
            Map.entry("MAX_BACKUP_UPLOAD", "1GB"),
            Map.entry("CORS_ORIGINS", "*"),
            Map.entry("BCRYPT_COST", "10"),
            Map.entry("RULES_FILE", ""),
            Map.entry("AUTH_RATE_LIMIT", "10/1m"),
            Map.entry("REALTIME_MAX_STREAMS", "auto"),
            Map.entry("REALTIME_STREAMS_PER_IP", "100"),
            Map.entry("REALTIME_SUBSCRIPTIONS", "1000"),
            Map.entry("REALTIME_QUEUE_BYTES", "256KB"),
            Map.entry("REALTIME_IDLE_TIMEOUT", "5m"),
            Map.entry("REALTIME_HEARTBEAT", "30s"),
            Map.entry("RATE_LIMITS", "POST /api/auth/login 20/10s, POST /api/collections/*/auth-with-password 20/10s, POST /api/collections/*/auth-with-oauth2 20/10s, "
                    + "POST /api/collections/*/auth-refresh 20/10s, POST /api/collections/users/records 10/10s, "
                    + "POST /api/collections/*/request-verification 5/1m, POST /api/collections/*/request-password-reset 5/1m, "
                    + "POST /api/collections/*/request-email-change 5/1m, POST /api/collections/*/confirm-verification 20/1m, "
                    + "POST /api/collections/*/confirm-password-reset 20/1m, POST /api/collections/*/confirm-email-change 20/1m, "
                    + "POST /api/collections/*/request-otp 5/1m, POST /api/collections/*/auth-with-otp 20/1m"),
            Map.entry("RATE_LIMIT_MAX_KEYS", "20000"),
            Map.entry("RATE_LIMIT_IPV6_PREFIX", "64"),
            Map.entry("TRUSTED_PROXIES", ""),
            Map.entry("S3_BUCKET", ""),
            Map.entry("S3_ENDPOINT", ""),
            Map.entry("S3_REGION", "us-east-1"),
            Map.entry("S3_ACCESS_KEY", ""),
            Map.entry("S3_SECRET", ""),
            Map.entry("S3_PREFIX", ""),
            Map.entry("S3_FORCE_PATH_STYLE", "false"),
            Map.entry("LOCAL_STORAGE_SHARED", "false"),
            Map.entry("INVALID_TOKEN", "guest"),
            Map.entry("LOGS_MAX_SIZE", "64MB"));

    /** Keys of the original (Node.js) NanoDB that are accepted so an old {@code .env} still starts. */
    public static final Map<String, String> SEED_KEYS = Map.of(
            "NODE_ENV", "read as NANODB_ENV when NANODB_ENV is not set",
            "MAX_CACHE_SIZE", "ignored: NanoDB keeps no record cache (LMDB reads from the page cache)",
            "MAX_SCAN_LIMIT", "ignored: queries are exact and never stop at a scan limit",
            "FLUSH_INTERVAL", "ignored: writes are group-committed and durable before they are acknowledged",
            "MAX_BUFFER_SIZE", "ignored: group commit sizes its groups itself");
}
