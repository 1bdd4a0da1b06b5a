package dev.nanodb.settings;

import dev.nanodb.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings PocketBase keeps in its settings and NanoDB takes from the environment, in PocketBase's shape, read
 * only: a request's batch size, the rate limits, the proxies whose {@code X-Forwarded-For} is believed and the
 * file storage are chosen when the server starts, by every node alike, and the environment stays their one source.
 */
final class EnvSettings {
    private EnvSettings() {}

    static Map<String, Object> of(Config config) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("enabled", true);
        batch.put("maxRequests", config.maxBatchSize());
        batch.put("timeout", 0);
        batch.put("maxBodySize", config.maxBodySize());
        out.put("batch", batch);
        List<Object> rules = new ArrayList<>();
        for (Config.RouteLimit r : config.traffic().rateLimits()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("label", "*".equals(r.method()) ? r.path() : r.method() + " " + r.path());
            rule.put("audience", "");
            rule.put("duration", r.window().toSeconds());
            rule.put("maxRequests", r.max());
            rules.add(rule);
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("enabled", !rules.isEmpty());
        limits.put("rules", rules);
        limits.put("excludedIPs", List.of());
        out.put("rateLimits", limits);
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("headers", config.traffic().trustedProxies().isEmpty() ? List.of() : List.of("X-Forwarded-For"));
        proxy.put("useLeftmostIP", false);
        out.put("trustedProxy", proxy);
        out.put("s3", s3(config.s3()));
        return out;
    }

    private static Map<String, Object> s3(Config.S3 s3) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", s3 != null);
        out.put("bucket", s3 == null ? "" : s3.bucket());
        out.put("region", s3 == null || s3.region() == null ? "" : s3.region());
        out.put("endpoint", s3 == null || s3.endpoint() == null ? "" : s3.endpoint());
        out.put("accessKey", s3 == null || s3.accessKey() == null ? "" : s3.accessKey());
        out.put("forcePathStyle", s3 != null && s3.pathStyle());
        return out;
    }

    /** Whether what a client sent equals the effective value, on the keys it sent (numbers by value). */
    static boolean matches(Object sent, Object effective) {
        if (sent instanceof Number a && effective instanceof Number b) return a.doubleValue() == b.doubleValue();
        if (sent instanceof Map<?, ?> a && effective instanceof Map<?, ?> b) {
            for (Map.Entry<?, ?> e : a.entrySet()) {
                if ("secret".equals(e.getKey()) && "".equals(e.getValue())) continue;
                if (!b.containsKey(e.getKey()) || !matches(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        if (sent instanceof List<?> a && effective instanceof List<?> b) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!matches(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        return java.util.Objects.equals(sent, effective);
    }

    static String hint(String key) {
        return switch (key) {
            case "batch" -> "Set by MAX_BATCH_SIZE and MAX_BODY_SIZE in the environment; change them there and restart.";
            case "rateLimits" -> "Set by RATE_LIMITS in the environment; add rules as records of the _rate_limits collection.";
            case "trustedProxy" -> "Set by TRUSTED_PROXIES in the environment; change it there and restart.";
            default -> "Set by the S3_* variables in the environment; the file storage is chosen at start-up.";
        };
    }
}
