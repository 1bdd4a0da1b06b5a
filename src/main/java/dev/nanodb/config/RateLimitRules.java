package dev.nanodb.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The syntax of rate-limit rules, shared by {@code RATE_LIMITS} and the {@code _rate_limits} collection.
 *
 * <p>{@code RATE_LIMITS} is a comma-separated list of {@code [METHOD] PATH COUNT/WINDOW}, e.g.
 * {@code POST /api/collections/*}{@code /auth-with-password 10/1m, /api/ 300/10s}; an empty value defines none.
 * A path is a prefix by whole segments; a {@code *} segment stands for exactly one segment. Paths are kept
 * without a trailing {@code /}, so {@code /api/} and {@code /api} are the same rule.
 */
public final class RateLimitRules {
    /** The longest accepted path: rules are written by hand, and a bound keeps matching cheap. */
    public static final int MAX_PATH = 256;
    /** The longest window: beyond a day a fixed window stops being a rate and becomes a quota. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*");
    private static final String KEY = "RATE_LIMITS";

    private RateLimitRules() {}

    static List<Config.RouteLimit> parse(String value) {
        List<Config.RouteLimit> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) continue;
            Config.RouteLimit rule = entry(entry.strip());
            if (!seen.add(rule.method() + " " + rule.path())) {
                throw new ConfigException(KEY, "two rules for " + rule.method() + " " + rule.path());
            }
            out.add(rule);
        }
        return out;
    }

    private static Config.RouteLimit entry(String entry) {
        String[] parts = entry.split("\\s+");
        if (parts.length < 2 || parts.length > 3) {
            throw new ConfigException(KEY, "expected [METHOD] PATH COUNT/WINDOW such as 'POST /api/auth/login 10/1m', got '" + entry + "'");
        }
        String method = parts.length == 3 ? method(parts[0]) : "*";
        if (method == null) throw new ConfigException(KEY, "unknown method '" + parts[0] + "' in '" + entry + "'");
        String path;
        try {
            path = path(parts[parts.length - 2]);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY, e.getMessage() + " in '" + entry + "'");
        }
        Config.RateLimit limit = ConfigLoader.rateLimit(Map.of(KEY, parts[parts.length - 1]), KEY);
        if (limit.window().toMillis() < 1000 || limit.window().compareTo(MAX_WINDOW) > 0) {
            throw new ConfigException(KEY, "a window must be between 1s and 1d, got '" + parts[parts.length - 1] + "'");
        }
        return new Config.RouteLimit(method, path, limit.max(), limit.window());
    }

    /** The upper-case method, {@code "*"} for any (also for null or empty), or null when it is not one. */
    public static String method(String raw) {
        if (raw == null || raw.isBlank()) return "*";
        String m = raw.strip().toUpperCase(Locale.ROOT);
        return METHODS.contains(m) ? m : null;
    }

    /**
     * The path in its kept form (no trailing {@code /}, except {@code /} itself).
     *
     * @throws IllegalArgumentException when it does not start with {@code /}, is too long, contains white space,
     *                                  {@code ?}, {@code #} or {@code ,}, an empty segment, or a {@code *} inside a
     *                                  segment
     */
    public static String path(String raw) {
        if (raw == null || !raw.startsWith("/")) throw new IllegalArgumentException("a path must start with /");
        if (raw.length() > MAX_PATH) throw new IllegalArgumentException("a path is at most " + MAX_PATH + " characters");
        String[] segments = raw.substring(1).split("/", -1);
        for (int s = 0; s < segments.length; s++) {
            String segment = segments[s];
            if (segment.isEmpty() && s < segments.length - 1) throw new IllegalArgumentException("empty segment in '" + raw + "'");
            if (segment.contains("*") && !segment.equals("*")) {
                throw new IllegalArgumentException("* must be a whole segment ('" + raw + "')");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (Character.isWhitespace(c) || c == '?' || c == '#' || c == ',') {
                    throw new IllegalArgumentException("a path cannot contain '" + c + "' ('" + raw + "')");
                }
            }
        }
        String p = raw;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p;
    }
}
