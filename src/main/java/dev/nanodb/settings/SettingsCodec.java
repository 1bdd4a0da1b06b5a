package dev.nanodb.settings;

import dev.nanodb.mail.SmtpServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of {@link Settings} (secrets included; it never leaves the server). A key missing from what
 * is stored — written by an older version, or never set — takes its default.
 */
final class SettingsCodec {
    private SettingsCodec() {}

    static Map<String, Object> toStored(Settings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("meta", meta(s.meta()));
        Map<String, Object> smtp = smtp(s.smtp());
        smtp.put("password", s.smtp().password());
        out.put("smtp", smtp);
        out.put("backups", BackupSettings.stored(s.backups()));
        out.put("logs", LogsSettings.wire(s.logs()));
        return out;
    }

    static Map<String, Object> meta(Settings.Meta m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("appName", m.appName());
        out.put("appURL", m.appURL());
        out.put("senderName", m.senderName());
        out.put("senderAddress", m.senderAddress());
        out.put("hideControls", m.hideControls());
        return out;
    }

    /** The SMTP settings without the password. */
    static Map<String, Object> smtp(SmtpServer s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", s.enabled());
        out.put("host", s.host());
        out.put("port", s.port());
        out.put("username", s.username());
        out.put("authMethod", s.authMethod());
        out.put("tls", s.tls());
        out.put("localName", s.localName());
        return out;
    }

    static Settings fromStored(Map<String, Object> stored, Settings defaults) {
        Map<?, ?> m = stored.get("meta") instanceof Map<?, ?> x ? x : Map.of();
        Map<?, ?> s = stored.get("smtp") instanceof Map<?, ?> x ? x : Map.of();
        Settings.Meta d = defaults.meta();
        SmtpServer ds = defaults.smtp();
        Settings.Meta meta = new Settings.Meta(text(m, "appName", d.appName()), text(m, "appURL", d.appURL()),
                text(m, "senderName", d.senderName()), text(m, "senderAddress", d.senderAddress()),
                bool(m, "hideControls", d.hideControls()));
        SmtpServer smtp = new SmtpServer(bool(s, "enabled", ds.enabled()), text(s, "host", ds.host()),
                s.get("port") instanceof Number n ? n.intValue() : ds.port(), text(s, "username", ds.username()),
                text(s, "password", ds.password()), text(s, "authMethod", ds.authMethod()), bool(s, "tls", ds.tls()),
                text(s, "localName", ds.localName()));
        return new Settings(meta, smtp, BackupSettings.fromStored(stored.get("backups"), defaults.backups()),
                LogsSettings.fromStored(stored.get("logs"), defaults.logs()));
    }

    static String text(Map<?, ?> m, String key, String fallback) {
        return m.get(key) instanceof String v ? v : fallback;
    }

    static boolean bool(Map<?, ?> m, String key, boolean fallback) {
        return m.get(key) instanceof Boolean v ? v : fallback;
    }
}
