package dev.nanodb.settings;

import dev.nanodb.error.ApiException;
import dev.nanodb.logs.LogPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code logs} section of the settings, PocketBase's {@code {maxDays, minLevel, logIP, logAuthId}}: its wire and
 * stored form (the same) and its checks. {@code maxDays} is a whole number from 0 (no logs kept) to
 * {@value #MAX_DAYS}; {@code minLevel} a whole number from {@value #MIN_LEVEL} to {@value #MAX_LEVEL} (PocketBase's
 * levels are -4 debug, 0 info, 4 warn, 8 error).
 */
final class LogsSettings {
    static final int MAX_DAYS = 100_000;
    static final int MIN_LEVEL = -128;
    static final int MAX_LEVEL = 127;

    private LogsSettings() {}

    static Map<String, Object> wire(LogPolicy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxDays", p.maxDays());
        out.put("minLevel", p.minLevel());
        out.put("logIP", p.logIP());
        out.put("logAuthId", p.logAuthId());
        return out;
    }

    static LogPolicy fromStored(Object stored, LogPolicy d) {
        Map<?, ?> m = stored instanceof Map<?, ?> x ? x : Map.of();
        return new LogPolicy(m.get("maxDays") instanceof Number n ? n.intValue() : d.maxDays(),
                m.get("minLevel") instanceof Number n ? n.intValue() : d.minLevel(),
                m.get("logIP") instanceof Boolean b ? b : d.logIP(), m.get("logAuthId") instanceof Boolean b ? b : d.logAuthId());
    }

    /** The section sent in a PATCH applied to {@code cur}; problems go to {@code errors.logs}. */
    static LogPolicy patch(Map<?, ?> m, LogPolicy cur, Map<String, Object> errors) {
        Map<String, Object> e = new LinkedHashMap<>();
        int maxDays = whole(m, "maxDays", cur.maxDays(), 0, MAX_DAYS, e);
        int minLevel = whole(m, "minLevel", cur.minLevel(), MIN_LEVEL, MAX_LEVEL, e);
        boolean logIP = SettingsPatch.bool(m, "logIP", cur.logIP(), e);
        boolean logAuthId = SettingsPatch.bool(m, "logAuthId", cur.logAuthId(), e);
        if (!e.isEmpty()) errors.put("logs", e);
        return new LogPolicy(maxDays, minLevel, logIP, logAuthId);
    }

    private static int whole(Map<?, ?> m, String key, int current, int min, int max, Map<String, Object> e) {
        if (!m.containsKey(key)) return current;
        if (m.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= min
                && n.doubleValue() <= max) {
            return n.intValue();
        }
        e.put(key, ApiException.fieldError("validation_out_of_range", "Must be a whole number from " + min + " to " + max + "."));
        return current;
    }
}
