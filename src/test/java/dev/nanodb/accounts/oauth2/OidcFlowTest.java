package dev.nanodb.accounts.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.nanodb.accounts.oauth2.OAuth2Exception.Reason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generic {@code oidc} provider end to end against a real OAuth2/OIDC server in this JVM: consent URL, the
 * browser's step (the mock's authorize endpoint answers a redirect with a code without a login page), the code
 * exchange with PKCE, and the user from user info or from the JWKS-verified ID token.
 */
class OidcFlowTest {
    private static final String ISSUER = "default";
    private static final String CLIENT = "nanodb-client";
    private static final String REDIRECT = "http://localhost:8090/api/oauth2-redirect";
    private static final Map<String, Object> CLAIMS = Map.of("email", "ada@example.com", "email_verified", true,
            "name", "Ada Lovelace", "preferred_username", "ada", "picture", "https://example.com/ada.png");
    private static MockOAuth2Server server;
    private static MockOAuth2Server foreign;
    private static final OAuth2Client client = new OAuth2Client();
    private static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        server = new MockOAuth2Server();
        server.start();
        foreign = new MockOAuth2Server();
        foreign.start();
    }

    @AfterAll
    static void stop() {
        server.shutdown();
        foreign.shutdown();
    }

    @Test
    void signsInThroughUserInfoWithPkce() throws Exception {
        Provider provider = oidc(server.userInfoUrl(ISSUER).toString(), Map.of());
        Pkce pkce = Pkce.generate();
        String code = authorize(provider, pkce, "user-42");

        Tokens tokens = client.exchange(provider, code, pkce.verifier(), REDIRECT);
        AuthUser user = client.fetchUser(provider, tokens);

        assertThat(tokens.accessToken()).isNotEmpty();
        assertThat(tokens.idToken()).isNotEmpty();
        assertThat(user.id()).isEqualTo("user-42");
        assertThat(user.verifiedEmail()).isEqualTo("ada@example.com");
        assertThat(user.name()).isEqualTo("Ada Lovelace");
        assertThat(user.username()).isEqualTo("ada");
        assertThat(user.avatarUrl()).isEqualTo("https://example.com/ada.png");
        assertThat(user.accessToken()).isEqualTo(tokens.accessToken());
        assertThat(user.rawUser()).containsEntry("sub", "user-42");
    }

    @Test
    void signsInThroughTheVerifiedIdTokenWhenThereIsNoUserInfoUrl() throws Exception {
        Provider provider = oidc("", Map.of("jwksURL", server.jwksUrl(ISSUER).toString(),
                "issuers", List.of(server.issuerUrl(ISSUER).toString())));
        Pkce pkce = Pkce.generate();
        String code = authorize(provider, pkce, "user-7");

        AuthUser user = client.fetchUser(provider, client.exchange(provider, code, pkce.verifier(), REDIRECT));

        assertThat(user.id()).isEqualTo("user-7");
        assertThat(user.emailVerified()).isTrue();
        assertThat(user.email()).isEqualTo("ada@example.com");
        assertThat(user.rawUser()).containsEntry("iss", server.issuerUrl(ISSUER).toString());
    }

    @Test
    void aWrongCodeVerifierIsRefused() throws Exception {
        Provider provider = oidc(server.userInfoUrl(ISSUER).toString(), Map.of());
        String code = authorize(provider, Pkce.generate(), "user-1");
        String wrong = Pkce.generate().verifier();

        assertThatThrownBy(() -> client.exchange(provider, code, wrong, REDIRECT))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> assertThat(e.reason()).isEqualTo(Reason.REFUSED))
                .hasMessageNotContaining(code).hasMessageNotContaining(wrong).hasMessageNotContaining("client-secret");
    }

    @Test
    void aTamperedIdTokenIsRefused() {
        Provider provider = verifyingProvider();
        SignedJWT genuine = server.issueToken(ISSUER, CLIENT, new DefaultOAuth2TokenCallback(ISSUER, "user-9",
                "JWT", List.of(CLIENT), Map.of("email", "ada@example.com", "email_verified", true), 3600));
        String[] parts = genuine.serialize().split("\\.");
        String forged = new String(Base64.getUrlDecoder().decode(parts[1])).replace("ada@example.com", "eve@example.com");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes())
                + "." + parts[2];

        assertThat(client.fetchUser(provider, idTokenOnly(genuine.serialize())).email()).isEqualTo("ada@example.com");
        assertRefused(provider, tampered);
    }

    @Test
    void anIdTokenOfAnotherIssuerIsRefused() {
        Provider provider = verifyingProvider();
        var callback = new DefaultOAuth2TokenCallback(ISSUER, "user-9", "JWT", List.of(CLIENT), Map.of(), 3600);

        assertRefused(provider, foreign.issueToken(ISSUER, CLIENT, callback).serialize());
        assertRefused(provider, server.issueToken("other", CLIENT,
                new DefaultOAuth2TokenCallback("other", "user-9", "JWT", List.of(CLIENT), Map.of(), 3600)).serialize());
    }

    @Test
    void anIdTokenForAnotherClientIsRefused() {
        Provider provider = verifyingProvider();
        var callback = new DefaultOAuth2TokenCallback(ISSUER, "user-9", "JWT", List.of("someone-else"), Map.of(), 3600);

        assertRefused(provider, server.issueToken(ISSUER, "someone-else", callback).serialize());
    }

    private static void assertRefused(Provider provider, String idToken) {
        assertThatThrownBy(() -> client.fetchUser(provider, idTokenOnly(idToken)))
                .isInstanceOfSatisfying(OAuth2Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID_TOKEN));
    }

    private static Tokens idTokenOnly(String idToken) {
        return new Tokens("access", "", idToken, null);
    }

    private static Provider verifyingProvider() {
        return oidc("", Map.of("jwksURL", server.jwksUrl(ISSUER).toString(),
                "issuers", List.of(server.issuerUrl(ISSUER).toString())));
    }

    private static Provider oidc(String userInfoUrl, Map<String, Object> extra) {
        return Providers.resolve(ProviderConfig.builder("oidc").clientId(CLIENT).clientSecret("client-secret")
                .authUrl(server.authorizationEndpointUrl(ISSUER).toString())
                .tokenUrl(server.tokenEndpointUrl(ISSUER).toString()).userInfoUrl(userInfoUrl).extra(extra).build());
    }

    /** The browser's part: open the consent URL, read the code from the redirect (state checked). */
    private static String authorize(Provider provider, Pkce pkce, String subject) throws Exception {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", List.of(CLIENT), CLAIMS, 3600));
        String url = client.authUrl(provider, "state-123", pkce.challenge(), REDIRECT);
        assertThat(url).contains("code_challenge=" + pkce.challenge()).contains("code_challenge_method=S256");

        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(302);
        URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT);
        Map<String, String> query = Query.parse(location.getRawQuery());
        assertThat(query).containsEntry("state", "state-123");
        return query.get("code");
    }
}
