package dev.nanodb.logs;

import java.util.Map;

/**
 * One answered HTTP request as the HTTP layer saw it, handed over on the event loop. Everything is captured as is
 * (cut to a bounded length); what the settings keep of it — the IPs, the caller's id — and the redaction of
 * secrets in URLs are decided later, on the log writer's thread, so the event loop does no more than build this.
 *
 * @param url       the request's path and query as received; {@link LogEntries} removes secret values before storing
 * @param execTime  milliseconds from the first handler to the response headers
 * @param auth      the caller's collection name, {@code ""} for a guest
 * @param authId    the caller's record id, {@code ""} for a guest
 * @param error     the message of the error answered, null for a success
 * @param details   the error's per-field {@code data}, null for a success
 */
public record RequestLog(long created, String method, String url, int status, double execTime, String remoteIP,
                         String userIP, String referer, String userAgent, String auth, String authId, String error,
                         Map<String, Object> details) {
    /** PocketBase's levels: a request answered with an error is logged at ERROR, any other at INFO. */
    public static final int INFO = 0;
    public static final int ERROR = 8;
    /** Longest url, referer and user agent kept (PocketBase keeps 3000, 2000, 2000). */
    public static final int MAX_URL = 2000;
    public static final int MAX_REFERER = 1000;
    public static final int MAX_USER_AGENT = 500;

    public int level() {
        return error != null || status >= 400 ? ERROR : INFO;
    }

    /** About how many characters this entry holds, for the writer queue's bound. */
    int weight() {
        return 64 + url.length() + referer.length() + userAgent.length() + (error == null ? 0 : error.length());
    }

    /** {@code text} cut to {@code max} characters (null becomes ""). */
    public static String cut(String text, int max) {
        if (text == null) return "";
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
