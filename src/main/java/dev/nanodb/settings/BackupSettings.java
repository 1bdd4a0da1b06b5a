package dev.nanodb.settings;

import dev.nanodb.crons.CronSchedule;
import dev.nanodb.error.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code backups} section in its three forms: stored (with the S3 secret), answered (without it) and patched
 * (PocketBase's validation: a valid cron expression or "", {@code cronMaxKeep} at least 1 while {@code cron} is
 * set, every S3 field but {@code forcePathStyle} required while {@code s3.enabled}). An S3 secret left out or sent
 * as "" keeps the stored one, as the SMTP password does.
 */
final class BackupSettings {
    static final int MAX_KEEP = 10_000;

    private BackupSettings() {}

    /** The section as stored ({@code secret} included; it never leaves the server). */
    static Map<String, Object> stored(Settings.Backups b) {
        Map<String, Object> out = wire(b);
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = (Map<String, Object>) out.get("s3");
        s3.put("secret", b.s3().secret());
        return out;
    }

    /** The section as {@code GET /api/settings} answers it: without the secret. */
    static Map<String, Object> wire(Settings.Backups b) {
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("enabled", b.s3().enabled());
        s3.put("bucket", b.s3().bucket());
        s3.put("region", b.s3().region());
        s3.put("endpoint", b.s3().endpoint());
        s3.put("accessKey", b.s3().accessKey());
        s3.put("forcePathStyle", b.s3().forcePathStyle());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cron", b.cron());
        out.put("cronMaxKeep", b.cronMaxKeep());
        out.put("s3", s3);
        return out;
    }

    static Settings.Backups fromStored(Object value, Settings.Backups d) {
        Map<?, ?> m = value instanceof Map<?, ?> x ? x : Map.of();
        Map<?, ?> s = m.get("s3") instanceof Map<?, ?> x ? x : Map.of();
        Settings.S3 ds = d.s3();
        Settings.S3 s3 = new Settings.S3(SettingsCodec.bool(s, "enabled", ds.enabled()), SettingsCodec.text(s, "bucket", ds.bucket()),
                SettingsCodec.text(s, "region", ds.region()), SettingsCodec.text(s, "endpoint", ds.endpoint()), SettingsCodec.text(s, "accessKey", ds.accessKey()),
                SettingsCodec.text(s, "secret", ds.secret()), SettingsCodec.bool(s, "forcePathStyle", ds.forcePathStyle()));
        return new Settings.Backups(SettingsCodec.text(m, "cron", d.cron()),
                m.get("cronMaxKeep") instanceof Number n ? n.intValue() : d.cronMaxKeep(), s3);
    }

    /**
     * The section after a PATCH's {@code backups} object; errors go to {@code errors} under {@code "backups"}.
     *
     * @param backupsRefused why this server takes no backups (PostgreSQL), or null: then a schedule or a bucket is
     *                       refused with that reason
     */
    static Settings.Backups patch(Map<?, ?> m, Settings.Backups cur, String backupsRefused, Map<String, Object> errors) {
        Map<String, Object> e = new LinkedHashMap<>();
        String cron = SettingsPatch.text(m, "cron", cur.cron(), 255, false, e);
        if (!e.containsKey("cron") && !cron.isEmpty()) {
            String problem = CronSchedule.problem(cron);
            if (problem != null) e.put("cron", ApiException.fieldError("validation_invalid_cron", problem));
            else if (backupsRefused != null) e.put("cron", ApiException.fieldError("validation_backups_unavailable", backupsRefused));
        }
        int keep = cur.cronMaxKeep();
        if (m.containsKey("cronMaxKeep")) {
            Object v = m.get("cronMaxKeep");
            if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 0 && n.doubleValue() <= MAX_KEEP) {
                keep = n.intValue();
            } else {
                e.put("cronMaxKeep", ApiException.fieldError("validation_invalid_value", "Must be a whole number from 1 to " + MAX_KEEP + "."));
            }
        }
        if (!e.containsKey("cronMaxKeep") && !cron.isEmpty() && keep < 1) {
            e.put("cronMaxKeep", ApiException.fieldError("validation_required", "Cannot be blank while cron is set (at least 1)."));
        }
        Settings.S3 s3 = s3(SettingsPatch.section(m, "s3", e), cur.s3(), backupsRefused, e);
        if (!e.isEmpty()) errors.put("backups", e);
        return new Settings.Backups(cron, keep, s3);
    }

    private static Settings.S3 s3(Map<?, ?> m, Settings.S3 cur, String backupsRefused, Map<String, Object> errors) {
        Map<String, Object> e = new LinkedHashMap<>();
        boolean on = SettingsPatch.bool(m, "enabled", cur.enabled(), e);
        String bucket = SettingsPatch.text(m, "bucket", cur.bucket(), 255, on, e);
        String region = SettingsPatch.text(m, "region", cur.region(), 255, on, e);
        String endpoint = SettingsPatch.text(m, "endpoint", cur.endpoint(), 2048, on, e);
        if (!e.containsKey("endpoint") && !endpoint.isEmpty() && !SettingsPatch.httpUrl(endpoint)) {
            e.put("endpoint", ApiException.fieldError("validation_is_url", "Must be an http(s) URL."));
        }
        String accessKey = SettingsPatch.text(m, "accessKey", cur.accessKey(), 1024, on, e);
        Object sent = m.get("secret");
        String secret = SettingsPatch.text(m, "secret", cur.secret(), 1024, false, e);
        if (sent == null || "".equals(sent)) secret = cur.secret();
        if (on && secret.isEmpty() && !e.containsKey("secret")) e.put("secret", ApiException.fieldError("validation_required", "Cannot be blank."));
        boolean pathStyle = SettingsPatch.bool(m, "forcePathStyle", cur.forcePathStyle(), e);
        if (on && backupsRefused != null && !e.containsKey("enabled")) {
            e.put("enabled", ApiException.fieldError("validation_backups_unavailable", backupsRefused));
        }
        if (!e.isEmpty()) errors.put("s3", e);
        return new Settings.S3(on, bucket, region, endpoint, accessKey, secret, pathStyle);
    }
}
