package dev.nanodb.settings;

import dev.nanodb.error.ApiException;
import dev.nanodb.mail.SmtpServer;
import dev.nanodb.schema.RecordValidator;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies a {@code PATCH /api/settings} body to the current settings, as PocketBase merges one: a key left out keeps
 * its value (so the SMTP password, which is never sent to a client, stays unless a new one is given).
 *
 * <p>Every error is reported at once, nested as PocketBase nests them ({@code data.smtp.host = {code, message}}).
 * The sections the environment sets (see {@link EnvSettings}) may be sent back as read, so a client that sends the
 * whole settings object back succeeds; a value there that differs from the environment's is refused with the
 * variable to change, never silently dropped.
 */
final class SettingsPatch {
    private static final Pattern HOST = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?|\\[?[0-9a-f:.]+]?");
    private final Map<String, Object> errors = new LinkedHashMap<>();

    private SettingsPatch() {}

    /** @param backupsRefused why this server takes no backups (PostgreSQL), else null */
    static Settings apply(Map<String, Object> body, Settings current, Map<String, Object> environment, String backupsRefused) {
        SettingsPatch p = new SettingsPatch();
        Settings.Meta meta = p.meta(section(body, "meta", p.errors), current.meta());
        SmtpServer smtp = p.smtp(section(body, "smtp", p.errors), current.smtp());
        Settings.Backups backups = BackupSettings.patch(section(body, "backups", p.errors), current.backups(), backupsRefused, p.errors);
        var logs = LogsSettings.patch(section(body, "logs", p.errors), current.logs(), p.errors);
        for (Map.Entry<String, Object> e : environment.entrySet()) {
            if (body.containsKey(e.getKey()) && !EnvSettings.matches(body.get(e.getKey()), e.getValue())) {
                p.errors.put(e.getKey(), ApiException.fieldError("validation_env_managed", EnvSettings.hint(e.getKey())));
            }
        }
        if (!p.errors.isEmpty()) throw new ApiException(400, "An error occurred while submitting the form.", p.errors);
        return new Settings(meta, smtp, backups, logs);
    }

    /** The object under {@code key} ({@code {}} when absent); another value is an error under {@code key}. */
    static Map<?, ?> section(Map<?, ?> body, String key, Map<String, Object> errors) {
        Object v = body.get(key);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m) return m;
        errors.put(key, ApiException.fieldError("validation_invalid_type", "Must be an object."));
        return Map.of();
    }

    private Settings.Meta meta(Map<?, ?> m, Settings.Meta cur) {
        Map<String, Object> e = new LinkedHashMap<>();
        String appName = text(m, "appName", cur.appName(), 255, true, e);
        String appURL = text(m, "appURL", cur.appURL(), 2048, true, e);
        if (!e.containsKey("appURL") && !httpUrl(appURL)) e.put("appURL", ApiException.fieldError("validation_is_url", "Must be an http(s) URL."));
        String senderName = text(m, "senderName", cur.senderName(), 255, true, e);
        String senderAddress = text(m, "senderAddress", cur.senderAddress(), 254, true, e);
        if (!e.containsKey("senderAddress") && !RecordValidator.emailSyntax(senderAddress)) {
            e.put("senderAddress", ApiException.fieldError("validation_is_email", "Must be a valid email address."));
        }
        boolean hide = bool(m, "hideControls", cur.hideControls(), e);
        if (!e.isEmpty()) errors.put("meta", e);
        return new Settings.Meta(appName, appURL, senderName, senderAddress, hide);
    }

    private SmtpServer smtp(Map<?, ?> m, SmtpServer cur) {
        Map<String, Object> e = new LinkedHashMap<>();
        boolean enabled = bool(m, "enabled", cur.enabled(), e);
        String host = text(m, "host", cur.host(), 255, enabled, e);
        if (!e.containsKey("host") && !host.isEmpty() && !HOST.matcher(host).matches()) {
            e.put("host", ApiException.fieldError("validation_is_host", "Must be a host name or an IP address."));
        }
        int port = cur.port();
        if (m.containsKey("port")) {
            Object v = m.get("port");
            if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1 && n.doubleValue() <= 65535) {
                port = n.intValue();
            } else {
                e.put("port", ApiException.fieldError("validation_invalid_port", "Must be a whole number from 1 to 65535."));
            }
        }
        String username = text(m, "username", cur.username(), 255, false, e);
        String password = text(m, "password", cur.password(), 1024, false, e);
        String authMethod = text(m, "authMethod", cur.authMethod(), 16, false, e);
        if (!e.containsKey("authMethod") && !List.of("", "PLAIN", "LOGIN").contains(authMethod)) {
            e.put("authMethod", ApiException.fieldError("validation_in_invalid", "Must be PLAIN or LOGIN."));
        }
        boolean tls = bool(m, "tls", cur.tls(), e);
        String localName = text(m, "localName", cur.localName(), 255, false, e);
        if (!e.containsKey("localName") && !localName.isEmpty() && !HOST.matcher(localName).matches()) {
            e.put("localName", ApiException.fieldError("validation_is_host", "Must be a host name or an IP address."));
        }
        if (!e.isEmpty()) errors.put("smtp", e);
        return new SmtpServer(enabled, host, port, username, password, authMethod, tls, localName);
    }

    /** A string of at most {@code max} characters without control characters; {@code required} refuses "". */
    static String text(Map<?, ?> m, String key, String current, int max, boolean required, Map<String, Object> e) {
        Object v = m.containsKey(key) ? m.get(key) : current;
        if (!(v instanceof String s)) {
            e.put(key, ApiException.fieldError("validation_invalid_type", "Must be a string."));
            return current;
        }
        if (required && s.isBlank()) {
            e.put(key, ApiException.fieldError("validation_required", "Cannot be blank."));
        } else if (s.length() > max) {
            e.put(key, ApiException.fieldError("validation_length_out_of_range", "Must be at most " + max + " characters."));
        } else if (s.chars().anyMatch(Character::isISOControl)) {
            e.put(key, ApiException.fieldError("validation_invalid_value", "Must not contain control characters."));
        }
        return s;
    }

    static boolean bool(Map<?, ?> m, String key, boolean current, Map<String, Object> e) {
        if (!m.containsKey(key)) return current;
        if (m.get(key) instanceof Boolean b) return b;
        e.put(key, ApiException.fieldError("validation_invalid_type", "Must be true or false."));
        return current;
    }

    static boolean httpUrl(String s) {
        try {
            URI u = new URI(s);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
