package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard at {@code /_/}: static ES modules, CSS and one HTML page, read from the classpath folder
 * {@code dashboard/} of the jar, so the server needs no Node.js and the browser fetches nothing from elsewhere.
 *
 * <p>Paths are matched against a strict pattern before any lookup (lower-case names, one known extension, no
 * {@code ..}, no empty segments), so a request can never reach a classpath resource outside {@code dashboard/}.
 * Every answer carries a Content-Security-Policy that allows only this origin and no inline code: the page
 * shows data from the database, and this is the second line of defence should a value ever reach the DOM
 * as markup. Files are answered with {@code Cache-Control: no-cache} and an ETag, so a browser revalidates
 * (a cheap 304) and never runs a dashboard older than the server it talks to.
 */
final class DashboardRoutes {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String ROOT = "dashboard/";
    private static final Pattern SAFE_PATH = Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*\\.(html|js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private record Asset(Buffer bytes, String type, String etag) {}

    /** Files already read; the set is bounded by what the jar holds, since only existing files are kept. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** One route per method: the request statistics name routes that have a single method and a path. */
    void mount(Router router) {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
            router.route(method, "/_").handler(DashboardRoutes::redirect);
            router.route(method, "/_/*").handler(this::serve);
        }
    }

    /** {@code /_} to {@code /_/}; the route also sees {@code /_/} (Vert.x ignores one trailing slash) and passes it on. */
    private static void redirect(RoutingContext ctx) {
        if (!ctx.request().path().equals("/_")) {
            ctx.next();
            return;
        }
        securityHeaders(ctx.response());
        ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/_/").end();
    }

    private void serve(RoutingContext ctx) {
        String path = ctx.request().path().substring("/_/".length());
        if (path.isEmpty()) path = "index.html";
        var response = ctx.response();
        securityHeaders(response);
        Asset asset = find(path).orElseThrow(() -> ApiException.notFound("The requested resource wasn't found."));
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader(HttpHeaders.ETAG, asset.etag());
        if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.type()).end(asset.bytes());
    }

    /** The headers of every dashboard answer, its 404s included. */
    private static void securityHeaders(HttpServerResponse response) {
        response.putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
    }

    private Optional<Asset> find(String path) {
        if (!SAFE_PATH.matcher(path).matches()) return Optional.empty();
        Asset known = cache.get(path);
        if (known != null) return Optional.of(known);
        try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) return Optional.empty();
            byte[] bytes = in.readAllBytes();
            String ext = path.substring(path.lastIndexOf('.') + 1);
            Asset asset = new Asset(Buffer.buffer(bytes), TYPES.get(ext), etag(bytes));
            cache.put(path, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
