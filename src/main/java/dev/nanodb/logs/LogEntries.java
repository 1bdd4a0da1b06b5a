package dev.nanodb.logs;

import dev.nanodb.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The stored form of a request log entry, PocketBase's {@code {id, created, level, message, data}} with
 * {@code data = {type: "request", execTime, error?, details?, url, method, status, referer, userAgent, auth,
 * authId?, userIP?, remoteIP?}} in PocketBase's order, built on the writer's thread.
 *
 * <p>Secrets never reach a stored entry: the value of every query parameter whose name looks like a credential
 * ({@link #SECRET_WORDS}: {@code token} of file URLs, {@code code} and {@code state} of OAuth2 redirects, passwords,
 * keys …) is replaced by {@value #REDACTED}, in the URL, in the message made from it and in the referer (a reset
 * page's {@code ?token=} would otherwise arrive as the referer of its API call). Headers and bodies are never
 * captured at all.
 */
final class LogEntries {
    static final String REDACTED = "REDACTED";
    /** Query parameter names holding one of these (in any case) have their values treated as secrets. */
    static final List<String> SECRET_WORDS = List.of("token", "passw", "secret", "code", "state", "otp", "key", "auth", "sig",
            "session", "jwt", "credential", "cookie");
    /** Error details past this size are left out (a large import's error list would otherwise dwarf the entry). */
    private static final int MAX_DETAILS = 8192;

    private LogEntries() {}

    /**
     * The JSON of the entry {@code id} for {@code log}, keeping what {@code policy} allows. Written by hand into one
     * builder: this runs for every request the server answers, on the writer's thread, and a general JSON writer
     * cost twice as much.
     */
    static byte[] json(String id, RequestLog log, LogPolicy policy) {
        String url = redact(log.url());
        StringBuilder b = new StringBuilder(320 + 2 * url.length() + log.userAgent().length() + log.referer().length());
        b.append("{\"id\":");
        quote(b, id).append(",\"created\":");
        quote(b, LogIds.created(log.created())).append(",\"level\":").append(log.level()).append(",\"message\":");
        quote(b, log.method() + " " + unescape(url)).append(",\"data\":{\"type\":\"request\",\"execTime\":").append(log.execTime());
        if (log.error() != null) {
            quote(b.append(",\"error\":"), log.error());
            byte[] details = log.details() == null ? null : Json.write(log.details());
            if (details != null && details.length <= MAX_DETAILS) b.append(",\"details\":").append(new String(details, StandardCharsets.UTF_8));
        }
        quote(b.append(",\"url\":"), url);
        quote(b.append(",\"method\":"), log.method()).append(",\"status\":").append(log.status());
        quote(b.append(",\"referer\":"), redact(log.referer()));
        quote(b.append(",\"userAgent\":"), log.userAgent());
        quote(b.append(",\"auth\":"), log.auth());
        if (policy.logAuthId() && !log.authId().isEmpty()) quote(b.append(",\"authId\":"), log.authId());
        if (policy.logIP()) {
            quote(b.append(",\"userIP\":"), log.userIP());
            quote(b.append(",\"remoteIP\":"), log.remoteIP());
        }
        return b.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }

    /** {@code url} with the values of secret-looking query parameters replaced by {@value #REDACTED}. */
    static String redact(String url) {
        int q = url.indexOf('?');
        if (q < 0) return url;
        int hash = url.indexOf('#', q);
        int stop = hash < 0 ? url.length() : hash;
        StringBuilder out = null;
        int copied = 0;
        for (int start = q + 1; start <= stop; ) {
            int amp = url.indexOf('&', start);
            int end = amp < 0 || amp > stop ? stop : amp;
            int eq = url.indexOf('=', start);
            if (eq >= 0 && eq < end && secret(url.substring(start, eq))) {
                if (out == null) out = new StringBuilder(url.length());
                out.append(url, copied, eq + 1).append(REDACTED);
                copied = end;
            }
            start = end + 1;
        }
        return out == null ? url : out.append(url, copied, url.length()).toString();
    }

    /** Whether a query parameter's name (as written, perhaps percent-encoded) names a credential. */
    private static boolean secret(String name) {
        String n = (name.indexOf('%') < 0 ? name : unescape(name)).toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (n.contains(word)) return true;
        }
        return false;
    }

    /** Percent-decoding as a path is decoded ({@code +} stays); a malformed escape is kept as written. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) return s;
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            int hi = raw[i] == '%' && i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(raw[i + 2], 16);
            if (lo >= 0) {
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                out[n++] = raw[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
