package dev.nanodb.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads settings from the process environment and an optional {@code .env} file in the working directory. The
 * environment wins over the file. Every value is validated here; a bad one stops the start-up with a
 * {@link ConfigException} naming the key. Unknown keys in {@code .env} produce a warning (a typo should not pass
 * silently); the seed's old keys are understood or ignored with a note.
 */
public final class ConfigLoader {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?\\s*");
    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+)\\s*(ms|s|m|h|d)?\\s*");
    private static final Pattern ORIGIN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s]+");

    private ConfigLoader() {}

    public static Config load(Map<String, String> environment, Path dotEnv) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        if (dotEnv != null && Files.isRegularFile(dotEnv)) {
            Map<String, String> file = parseDotEnv(dotEnv);
            for (String key : file.keySet()) {
                if (!Config.KEYS.containsKey(key) && !Config.SEED_KEYS.containsKey(key)) {
                    warnings.add(".env: unknown key " + key + " is ignored");
                }
            }
            values.putAll(file);
        }
        for (String key : Config.KEYS.keySet()) {
            if (environment.containsKey(key)) values.put(key, environment.get(key));
        }
        for (String key : Config.SEED_KEYS.keySet()) {
            if (environment.containsKey(key)) values.put(key, environment.get(key));
        }
        for (Map.Entry<String, String> seed : Config.SEED_KEYS.entrySet()) {
            if (values.containsKey(seed.getKey())) warnings.add(seed.getKey() + " (seed setting): " + seed.getValue());
        }
        if (!values.containsKey("NANODB_ENV") && values.containsKey("NODE_ENV")) {
            values.put("NANODB_ENV", values.get("NODE_ENV"));
        }
        return build(values, warnings);
    }

    private static Config build(Map<String, String> v, List<String> warnings) {
        int port = (int) integer(v, "PORT", 0, 65535);
        String env = get(v, "NANODB_ENV").toLowerCase(Locale.ROOT);
        if (!env.equals("development") && !env.equals("production") && !env.equals("test")) {
            throw new ConfigException("NANODB_ENV", "expected development or production, got '" + get(v, "NANODB_ENV") + "'");
        }
        String durability = get(v, "DB_DURABILITY").toLowerCase(Locale.ROOT);
        if (!durability.equals("sync") && !durability.equals("relaxed")) {
            throw new ConfigException("DB_DURABILITY", "expected sync or relaxed, got '" + durability + "'");
        }
        long maxSize = size(v, "DB_MAX_SIZE");
        long initial = Math.min(size(v, "DB_INITIAL_SIZE"), maxSize);
        if (maxSize < (1 << 20)) throw new ConfigException("DB_MAX_SIZE", "must be at least 1MB");
        String secret = blankToNull(get(v, "JWT_SECRET"));
        if (secret != null && secret.length() < 32) {
            throw new ConfigException("JWT_SECRET", "must be at least 32 characters long");
        }
        String dbUrl = blankToNull(get(v, "DATABASE_URL"));
        if (dbUrl != null && !(dbUrl.startsWith("postgres://") || dbUrl.startsWith("postgresql://") || dbUrl.startsWith("jdbc:postgresql:"))) {
            throw new ConfigException("DATABASE_URL", "expected a PostgreSQL URL (postgres://… or jdbc:postgresql:…)");
        }
        long body = size(v, "MAX_BODY_SIZE");
        if (body < 1024) throw new ConfigException("MAX_BODY_SIZE", "must be at least 1KB");
        List<String> cors = corsOrigins(v);
        String adminPassword = get(v, "NANODB_ADMIN_PASSWORD");
        if (adminPassword.length() < 8 || adminPassword.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new ConfigException("NANODB_ADMIN_PASSWORD", "must be 8 characters to 72 bytes long (bcrypt's limit)");
        }
        if (!get(v, "NANODB_ADMIN_EMAIL").matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new ConfigException("NANODB_ADMIN_EMAIL", "expected an email address");
        }
        Path dbPath = Path.of(get(v, "DB_PATH"));
        String rules = get(v, "RULES_FILE");
        Path parent = dbPath.toAbsolutePath().normalize().getParent();
        Path rulesFile = rules.isEmpty() ? (parent == null ? Path.of("rules.json") : parent.resolve("rules.json")) : Path.of(rules);
        Config.S3 s3 = s3(v);
        long logs = size(v, "LOGS_MAX_SIZE");
        if (logs < (1 << 20)) throw new ConfigException("LOGS_MAX_SIZE", "must be at least 1MB");
        return new Config(port, get(v, "HOST"), dbPath, maxSize, initial, durability.equals("sync"),
                secret, duration(v, "JWT_EXPIRES_IN"), (int) integer(v, "MAX_BATCH_SIZE", 1, 10_000),
                env.equals("production"), dbUrl, bool(v, "AUTO_COLLECTIONS"), get(v, "NANODB_ADMIN_EMAIL"),
                adminPassword, body, cors, (int) integer(v, "BCRYPT_COST", 4, 16), rulesFile,
                !rules.isEmpty(), rateLimit(v, "AUTH_RATE_LIMIT"), realtime(v), warnings, traffic(v), s3,
                localStorageShared(v, s3 != null, dbUrl != null, warnings), invalidToken(v), maxBackupUpload(v), logs);
    }

    /** {@code MAX_BACKUP_UPLOAD}: at least 1MB. */
    private static long maxBackupUpload(Map<String, String> v) {
        long n = size(v, "MAX_BACKUP_UPLOAD");
        if (n < (1 << 20)) throw new ConfigException("MAX_BACKUP_UPLOAD", "must be at least 1MB");
        return n;
    }

    /** {@code INVALID_TOKEN}: guest or reject (any letter case). */
    private static Config.InvalidToken invalidToken(Map<String, String> v) {
        String s = get(v, "INVALID_TOKEN").strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "guest" -> Config.InvalidToken.GUEST;
            case "reject" -> Config.InvalidToken.REJECT;
            default -> throw new ConfigException("INVALID_TOKEN", "expected guest (answer as anonymous) or reject (401), got '" + s + "'");
        };
    }

    /** {@code LOCAL_STORAGE_SHARED}: contradicts {@code S3_BUCKET}; means nothing without {@code DATABASE_URL}. */
    private static boolean localStorageShared(Map<String, String> v, boolean s3, boolean database, List<String> warnings) {
        boolean shared = bool(v, "LOCAL_STORAGE_SHARED");
        if (shared && s3) {
            throw new ConfigException("LOCAL_STORAGE_SHARED", "applies to files on local disk, but S3_BUCKET is set: unset one of them");
        }
        if (shared && !database) {
            warnings.add("LOCAL_STORAGE_SHARED has no effect without DATABASE_URL: the embedded store serves one node");
        }
        return shared;
    }

    /** The S3 settings when {@code S3_BUCKET} is set: keys required, an http(s) endpoint, a safe key prefix. */
    private static Config.S3 s3(Map<String, String> v) {
        String bucket = get(v, "S3_BUCKET").strip();
        boolean pathStyle = bool(v, "S3_FORCE_PATH_STYLE");
        if (bucket.isEmpty()) return null;
        for (String key : List.of("S3_ACCESS_KEY", "S3_SECRET")) {
            if (get(v, key).isBlank()) throw new ConfigException(key, "required when S3_BUCKET is set");
        }
        String endpoint = blankToNull(get(v, "S3_ENDPOINT").strip());
        if (endpoint != null && !endpoint.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
            throw new ConfigException("S3_ENDPOINT", "expected an http(s) URL such as https://s3.eu-central-1.amazonaws.com");
        }
        String prefix = get(v, "S3_PREFIX").strip();
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_.\\-/]*/")) {
            throw new ConfigException("S3_PREFIX", "letters, digits, _ . - and /, ending in /");
        }
        return new Config.S3(endpoint, bucket, get(v, "S3_REGION").strip(), get(v, "S3_ACCESS_KEY"), get(v, "S3_SECRET"),
                prefix, pathStyle);
    }

    /** {@code *} alone, or a comma-separated list of origins ({@code scheme://host[:port]}, no path). */
    private static List<String> corsOrigins(Map<String, String> v) {
        List<String> cors = new ArrayList<>();
        for (String o : get(v, "CORS_ORIGINS").split(",")) if (!o.isBlank()) cors.add(o.trim());
        if (cors.isEmpty()) throw new ConfigException("CORS_ORIGINS", "expected * or a list of origins such as https://app.example.com");
        for (String o : cors) {
            if (cors.size() > 1 && o.equals("*")) throw new ConfigException("CORS_ORIGINS", "* cannot be mixed with origins");
            if (!o.equals("*") && !ORIGIN.matcher(o).matches()) {
                throw new ConfigException("CORS_ORIGINS", "expected an origin such as https://app.example.com (no path), got '" + o + "'");
            }
        }
        return cors;
    }

    private static Config.Traffic traffic(Map<String, String> v) {
        List<IpRange> proxies = new ArrayList<>();
        for (String p : get(v, "TRUSTED_PROXIES").split(",")) {
            if (p.isBlank()) continue;
            try {
                proxies.add(IpRange.parse(p));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("TRUSTED_PROXIES", e.getMessage());
            }
        }
        return new Config.Traffic(RateLimitRules.parse(get(v, "RATE_LIMITS")),
                (int) integer(v, "RATE_LIMIT_MAX_KEYS", 100, 10_000_000), proxies,
                (int) integer(v, "RATE_LIMIT_IPV6_PREFIX", 32, 128));
    }

    private static String get(Map<String, String> v, String key) {
        String s = v.get(key);
        return s == null ? Config.KEYS.get(key) : s.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static long integer(Map<String, String> v, String key, long min, long max) {
        String s = get(v, key);
        try {
            long n = Long.parseLong(s);
            if (n < min || n > max) throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected a whole number, got '" + s + "'");
        }
    }

    private static boolean bool(Map<String, String> v, String key) {
        String s = get(v, key).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(key, "expected true or false, got '" + s + "'");
        };
    }

    /** Sizes such as {@code 1048576}, {@code 512MB} or {@code 10GiB} (1 KB = 1024 bytes). */
    static long size(Map<String, String> v, String key) {
        String s = get(v, key);
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) throw new ConfigException(key, "expected a size such as 1048576, 512MB or 10GB, got '" + s + "'");
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "size is too large: '" + s + "'");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) throw new ConfigException(key, "size is too large: '" + s + "'");
        return n << shift;
    }

    private static Config.Realtime realtime(Map<String, String> v) {
        long queue = size(v, "REALTIME_QUEUE_BYTES");
        if (queue < 4096 || queue > (64 << 20)) throw new ConfigException("REALTIME_QUEUE_BYTES", "must be between 4KB and 64MB");
        String max = get(v, "REALTIME_MAX_STREAMS");
        int maxStreams = max.equalsIgnoreCase("auto") ? 0 : (int) integer(v, "REALTIME_MAX_STREAMS", 1, 1_000_000);
        return new Config.Realtime(maxStreams, (int) integer(v, "REALTIME_STREAMS_PER_IP", 1, 1_000_000),
                (int) integer(v, "REALTIME_SUBSCRIPTIONS", 1, 100_000), (int) queue, duration(v, "REALTIME_IDLE_TIMEOUT"),
                heartbeat(v));
    }

    private static Duration heartbeat(Map<String, String> v) {
        Duration d = duration(v, "REALTIME_HEARTBEAT");
        if (d.toMillis() < 1000) throw new ConfigException("REALTIME_HEARTBEAT", "must be at least 1s");
        return d;
    }

    /** {@code N/duration}, e.g. {@code 10/1m}: at most N per window. */
    static Config.RateLimit rateLimit(Map<String, String> v, String key) {
        String s = get(v, key);
        int slash = s.indexOf('/');
        if (slash <= 0) throw new ConfigException(key, "expected COUNT/WINDOW such as 10/1m, got '" + s + "'");
        long max = integer(Map.of(key, s.substring(0, slash)), key, 1, 1_000_000);
        Duration window = duration(Map.of(key, s.substring(slash + 1)), key);
        return new Config.RateLimit((int) max, window);
    }

    /** Durations such as {@code 7d}, {@code 12h}, {@code 30m}, {@code 90s} or plain seconds. */
    static Duration duration(Map<String, String> v, String key) {
        String s = get(v, key);
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) throw new ConfigException(key, "expected a duration such as 7d, 12h, 30m or 3600, got '" + s + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) throw new ConfigException(key, "must be longer than zero");
        return d;
    }

    /** {@code KEY=value} lines; {@code #} comments, blank lines, {@code export } prefixes and quotes allowed. */
    static Map<String, String> parseDotEnv(Path file) {
        Map<String, String> out = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(".env", "cannot be read: " + e.getMessage());
        }
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) throw new ConfigException(".env", "line " + lineNo + " is not KEY=value");
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) value = value.substring(0, hash).strip();
            }
            out.put(key, value);
        }
        return out;
    }
}
