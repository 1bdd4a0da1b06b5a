package dev.nanodb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OAuth2/OIDC server (mock-oauth2-server) as the {@code oidc} provider of a NanoDB collection, and the
 * browser's part of a sign-in: open the authorization URL from {@code auth-methods}, read the code from the
 * provider's redirect.
 */
public final class MockProvider implements AutoCloseable {
    public static final String ISSUER = "default";
    public static final String CLIENT = "nanodb-client";
    public static final String SECRET = "mock-client-secret-value";
    public static final String REDIRECT = "http://localhost:8090/api/oauth2-redirect";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MockOAuth2Server server = new MockOAuth2Server();
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public MockProvider() {
        server.start();
    }

    /** The {@code oauth2} options that make this server the {@code oidc} provider (JSON). */
    public String options(boolean enabled) {
        return "{\"oauth2\":{\"enabled\":" + enabled + ",\"providers\":[{\"name\":\"oidc\",\"clientId\":\"" + CLIENT
                + "\",\"clientSecret\":\"" + SECRET + "\",\"authURL\":\"" + server.authorizationEndpointUrl(ISSUER)
                + "\",\"tokenURL\":\"" + server.tokenEndpointUrl(ISSUER) + "\",\"userInfoURL\":\""
                + server.userInfoUrl(ISSUER) + "\",\"displayName\":\"Mock\"}],\"mappedFields\":{\"name\":\"name\"}}}";
    }

    public void configure(TestServer s, String collection, boolean enabled) {
        var r = s.patch("/api/collections/" + collection, options(enabled));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A started sign-in: the code the provider handed the browser and the PKCE verifier from auth-methods. */
    public record Grant(String code, String verifier, String state) {
        public String body(String createData) {
            return "{\"provider\":\"oidc\",\"code\":\"" + code + "\",\"codeVerifier\":\"" + verifier + "\",\"redirectURL\":\""
                    + REDIRECT + "\"" + (createData == null ? "" : ",\"createData\":" + createData) + "}";
        }
    }

    /** The provider account {@code subject} with {@code email} (verified or not) consents; redirect to {@link #REDIRECT}. */
    public Grant consent(TestServer s, String collection, String subject, String email, boolean verified) throws Exception {
        return consent(s, collection, subject, email, verified, REDIRECT);
    }

    public Grant consent(TestServer s, String collection, String subject, String email, boolean verified, String redirect)
            throws Exception {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", email);
        claims.put("email_verified", verified);
        claims.put("name", "Name of " + subject);
        claims.put("preferred_username", subject);
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", List.of(CLIENT), claims, 3600));
        JsonNode methods = JSON.readTree(s.send("GET", "/api/collections/" + collection + "/auth-methods", null).body());
        JsonNode p = methods.at("/oauth2/providers/0");
        String url = p.get("authURL").asText();
        assertThat(url).endsWith("redirect_uri=").contains("code_challenge=" + p.get("codeChallenge").asText());
        assertThat(p.get("codeChallengeMethod").asText()).isEqualTo("S256");
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(url
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(302);
        Map<String, String> q = query(URI.create(answer.headers().firstValue("Location").orElseThrow()).getRawQuery());
        assertThat(q).containsEntry("state", p.get("state").asText());
        return new Grant(q.get("code"), p.get("codeVerifier").asText(), q.get("state"));
    }

    public static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
