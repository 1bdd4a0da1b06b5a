package dev.nanodb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files under {@code /_/} (types, caching, security headers, no way out of the dashboard
 * folder) and {@code /api/settings/warnings}, the one route the dashboard added to the API. The dashboard's
 * behaviour in a browser is DashboardBrowserTest's.
 */
class DashboardRoutesTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void indexIsServedWithAStrictPolicyAndRevalidated() {
        HttpResponse<String> r = server.send("GET", "/_/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>").doesNotContain("<style");

        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(server.send("GET", "/_/", null, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(server.send("GET", "/_/", null, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void filesHaveTheirContentTypes() {
        assertThat(server.send("GET", "/_/js/main.js", null).headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(server.send("GET", "/_/app.css", null).headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        assertThat(server.send("GET", "/_/icon.svg", null).headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @Test
    void bareUnderscoreRedirectsToTheDashboard() {
        HttpResponse<String> r = server.send("GET", "/_", null);
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("/_/");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'"));
    }

    @Test
    void unknownFilesAndEscapesAre404() {
        for (String path : new String[] {"/_/nope.js", "/_/js/nope.js", "/_/%2e%2e/pom.xml", "/_/..%2f..%2fpom.xml",
                "/_/js/%2e%2e/%2e%2e/simplelogger.properties", "/_/simplelogger.properties", "/_/index.html%00.js",
                "/_/JS/MAIN.JS", "/_/js//main.js", "/_/.hidden.js"}) {
            HttpResponse<String> r = server.send("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("org.slf4j");
        }
        assertThat(server.send("GET", "/_/nope.js", null).headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void warningsAreForSuperusersOnly() {
        assertThat(server.send("GET", "/api/settings/warnings", null).statusCode()).isEqualTo(401);
        server.signUp("warn@example.com");
        String user = server.login("users", "warn@example.com", "password123");
        assertThat(server.send("GET", "/api/settings/warnings", null, "Authorization", user).statusCode()).isEqualTo(403);
    }

    @Test
    void warningsNameTheDefaultPasswordAndTheGeneratedSecret() {
        HttpResponse<String> r = server.get("/api/settings/warnings");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"defaultPassword\":true,\"generatedSecret\":true}");
    }

    @Test
    void noWarningsOnceBothAreFixed() {
        try (TestServer safe = TestServer.start(Map.of("JWT_SECRET", "x".repeat(40), "NANODB_ADMIN_PASSWORD", "another-secret-1"))) {
            String token = safe.login("_superusers", TestServer.ADMIN_EMAIL, "another-secret-1");
            HttpResponse<String> r = safe.send("GET", "/api/settings/warnings", null, "Authorization", token);
            assertThat(r.body()).isEqualTo("{\"defaultPassword\":false,\"generatedSecret\":false}");
        }
    }
}
