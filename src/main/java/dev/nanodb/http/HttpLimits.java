package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;

/**
 * The limits of the HTTP layer, in one place. The body limit is {@code MAX_BODY_SIZE} (configuration); the limits
 * of what a body or a query may hold live with their parsers ({@code Json}, {@code ListParams}, the filter parser,
 * {@code Names}, {@code RecordValidator}). Every refusal is a JSON 4xx through {@link Errors}.
 */
final class HttpLimits {
    /** Request line (method, URL, version): longer is 414. Large enough for a long filter in the query string. */
    static final int MAX_REQUEST_LINE = 64 * 1024;
    /** All header lines together: larger is 431. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Header lines per request: more is 431 (as Tomcat's default); a browser sends about 20. */
    static final int MAX_HEADERS = 100;

    private HttpLimits() {}

    /** The first handler of every route: 431 for a request with more than {@link #MAX_HEADERS} header lines. */
    static void headerCount(RoutingContext ctx) {
        int n = 0;
        for (Map.Entry<String, String> ignored : ctx.request().headers()) {
            if (++n > MAX_HEADERS) {
                Errors.respond(ctx, new ApiException(431, "The request has more than " + MAX_HEADERS + " headers."));
                return;
            }
        }
        ctx.next();
    }

    /**
     * A body is read as JSON unless it says it is something else: 415 for any {@code Content-Type} other than
     * {@code application/json} or a {@code +json} type; a body without one is parsed as JSON.
     */
    static void requireJsonContentType(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || type.isBlank()) return;
        int semi = type.indexOf(';');
        String media = (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        if (media.equals("application/json") || media.endsWith("+json")) return;
        throw new ApiException(415, "The request body must be JSON, sent with Content-Type: application/json.");
    }
}
