package dev.nanodb.error;

import java.util.Map;

/**
 * The one exception that carries an answer for the client: an HTTP-style status, a message safe to show,
 * and optional per-field {@code data} ({@code field -> {code, message}}).
 *
 * <p>It is a plain Java type so that every layer above the store may throw it without depending on the
 * HTTP server. The message must never contain a cause's text: causes are logged, never serialised.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> data;
    private final long retryAfterSeconds;

    public ApiException(int status, String message, Map<String, Object> data) {
        this(status, message, data, 0);
    }

    private ApiException(int status, String message, Map<String, Object> data, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.data = data == null ? Map.of() : Map.copyOf(data);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429; the answer carries {@code Retry-After: seconds}. */
    public static ApiException tooManyRequests(long seconds) {
        return new ApiException(429, "Too many requests. Retry in " + seconds + " s.", null, seconds);
    }

    /** Seconds a client should wait before retrying (429, 503); 0 = no advice. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** A 400 naming one field: {@code data = {field: {code, message}}}. */
    public static ApiException invalidField(String field, String code, String message) {
        return new ApiException(400, "Failed to validate the request.", Map.of(field, fieldError(code, message)));
    }

    public int status() {
        return status;
    }

    public Map<String, Object> data() {
        return data;
    }

    /** The {@code {code, message}} pair PocketBase uses for one field's validation error. */
    public static Map<String, String> fieldError(String code, String message) {
        return Map.of("code", code, "message", message);
    }
}
