package dev.nanodb.logs;

import dev.nanodb.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The stored form of a request log entry, PocketBase's {@code {id, created, level, message, data}} with
 * {@code data = {type: "request", execTime, error?, details?, url, method, status, referer, userAgent, auth,
 * authId?, userIP?, remoteIP?}} in PocketBase's order, built on the writer's thread.
 *
 * <p>Secrets never reach a stored entry: the value of every query parameter whose name looks like a credential
 * ({@link #SECRET_NAME}: {@code token} of file URLs, {@code code} and {@code state} of OAuth2 redirects, passwords,
 * keys …) is replaced by {@value #REDACTED}, in the URL, in the message made from it and in the referer (a reset
 * page's {@code ?token=} would otherwise arrive as the referer of its API call). Headers and bodies are never
 * captured at all.
 */
final class LogEntries {
    static final String REDACTED = "REDACTED";
    /** Query parameter names whose values are treated as secrets (case-insensitive, anywhere in the name). */
    static final Pattern SECRET_NAME = Pattern.compile(
            "token|passw|secret|code|state|otp|key|auth|sig|session|jwt|credential|cookie");
    /** Error details past this size are left out (a large import's error list would otherwise dwarf the entry). */
    private static final int MAX_DETAILS = 8192;

    private LogEntries() {}

    /** The JSON of the entry {@code id} for {@code log}, keeping what {@code policy} allows. */
    static byte[] json(String id, RequestLog log, LogPolicy policy) {
        String url = redact(log.url());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "request");
        data.put("execTime", log.execTime());
        if (log.error() != null) {
            data.put("error", log.error());
            if (log.details() != null && Json.write(log.details()).length <= MAX_DETAILS) data.put("details", log.details());
        }
        data.put("url", url);
        data.put("method", log.method());
        data.put("status", (long) log.status());
        data.put("referer", redact(log.referer()));
        data.put("userAgent", log.userAgent());
        data.put("auth", log.auth());
        if (policy.logAuthId() && !log.authId().isEmpty()) data.put("authId", log.authId());
        if (policy.logIP()) {
            data.put("userIP", log.userIP());
            data.put("remoteIP", log.remoteIP());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("created", LogIds.created(log.created()));
        entry.put("level", (long) log.level());
        entry.put("message", log.method() + " " + unescape(url));
        entry.put("data", data);
        return Json.write(entry);
    }

    /** {@code url} with the values of secret-looking query parameters replaced by {@value #REDACTED}. */
    static String redact(String url) {
        int q = url.indexOf('?');
        if (q < 0) return url;
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        StringBuilder out = new StringBuilder(url.length()).append(url, 0, q + 1);
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            String pair = query.substring(start, end);
            int eq = pair.indexOf('=');
            String name = unescape(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            out.append(eq >= 0 && SECRET_NAME.matcher(name).find() ? pair.substring(0, eq + 1) + REDACTED : pair);
            if (amp < 0) break;
            out.append('&');
            start = amp + 1;
        }
        return out.toString();
    }

    /** Percent-decoding as a path is decoded ({@code +} stays); a malformed escape is kept as written. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(raw[i + 2], 16);
            if (raw[i] == '%' && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
