package dev.nanodb.accounts.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The provider table, without network: each named provider's URLs, scopes, PKCE and mapping of canned user JSON. */
class ProvidersTest {
    private static final OAuth2Client client = new OAuth2Client();

    /** One canned case per row of {@code oauth2/provider-users.json}: the provider, its consent URL and scope, a user. */
    record Row(String provider, String authUrl, String scope, Map<String, Object> user, Map<String, Object> expected) {
        @Override
        public String toString() {
            return provider + " " + user.values().iterator().next();
        }
    }

    static List<Row> rows() throws IOException {
        try (var in = ProvidersTest.class.getResourceAsStream("/oauth2/provider-users.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<List<Row>>() {});
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachProviderBuildsItsConsentUrlAndMapsItsUser(Row row) {
        Provider provider = Providers.resolve(config(row.provider()));

        String url = client.authUrl(provider, "st", "challenge-value", "https://app.example.com/cb");
        Map<String, String> query = Query.parse(URI.create(url).getRawQuery());
        assertThat(url).startsWith(row.authUrl() + "?").endsWith("&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb");
        assertThat(query).containsEntry("client_id", "id-" + row.provider()).containsEntry("scope", row.scope())
                .containsEntry("state", "st").containsEntry("response_type", "code")
                .containsEntry("code_challenge", "challenge-value").containsEntry("code_challenge_method", "S256");
        assertThat(provider.pkce()).isTrue();

        AuthUser.Builder builder = AuthUser.builder();
        provider.spec().mapper().map(new Profile(row.user(), provider.extra(), Map.of()), builder);
        AuthUser user = builder.rawUser(row.user()).build();
        Map<String, Object> actual = Map.of("id", user.id(), "name", user.name(), "username", user.username(),
                "email", user.email(), "verified", user.emailVerified(), "avatar", user.avatarUrl());
        assertThat(actual).isEqualTo(row.expected());
        assertThat(user.rawUser()).isEqualTo(row.user());
    }

    @Test
    void everyNamedProviderHasACannedCase() throws IOException {
        assertThat(rows().stream().map(Row::provider))
                .containsAll(Providers.NAMES.stream().filter(n -> !n.matches("oidc[23]")).toList());
    }

    @Test
    void appleAsksForAFormPostAndTheSdkCanAppendItsRedirect() {
        Provider apple = Providers.resolve(config("apple"));

        String url = client.authUrl(apple, "st", "ch", "");

        assertThat(Query.parse(URI.create(url).getRawQuery())).containsEntry("response_mode", "form_post");
        assertThat(url).endsWith("&redirect_uri=");
    }

    @Test
    void githubKeepsOnlyThePrimaryVerifiedAddress() {
        AuthUser.Builder user = AuthUser.builder().id("1").email("public@gh.com", false);
        var lookup = Providers.spec("github").emails();
        List<Map<String, Object>> emails = List.of(
                Map.of("email", "old@gh.com", "primary", false, "verified", true),
                Map.of("email", "main@gh.com", "primary", true, "verified", true));

        lookup.pick().map(new Profile(Map.of("items", emails), Map.of(), Map.of()), user);

        assertThat(lookup.suffix()).isEqualTo("/emails");
        assertThat(user.build().verifiedEmail()).isEqualTo("main@gh.com");
    }

    @Test
    void microsoftReadsTheConfiguredIdTokenClaimAndAsksForOpenid() {
        Provider ms = Providers.resolve(ProviderConfig.builder("microsoft").clientId("c")
                .extra(Map.of("idTokenEmailClaim", "email_and_xms_edov")).build());
        AuthUser.Builder user = AuthUser.builder();

        ms.spec().mapper().map(new Profile(Map.of("id", "m", "mail", "unchecked@ms.com"), ms.extra(),
                Map.of("email", "ada@ms.com", "xms_edov", true)), user);

        assertThat(ms.scopes()).containsExactly("User.Read", "openid");
        assertThat(user.build().verifiedEmail()).isEqualTo("ada@ms.com");
    }

    @Test
    void theConfigurationOverridesTheTable() {
        Provider p = Providers.resolve(ProviderConfig.builder("gitlab").clientId("c").pkce(false)
                .authUrl("https://gitlab.example.com/oauth/authorize?x=1").displayName("Our GitLab").build());

        String url = client.authUrl(p, "st", "ch", "https://app/cb");

        assertThat(url).startsWith("https://gitlab.example.com/oauth/authorize?x=1&client_id=c&");
        assertThat(url).doesNotContain("code_challenge");
        assertThat(p.displayName()).isEqualTo("Our GitLab");
        assertThat(p.tokenUrl()).isEqualTo("https://gitlab.com/oauth/token");
    }

    @Test
    void incompleteOrUnknownProvidersAreRefused() {
        assertThat(Providers.NAMES).containsExactlyInAnyOrder("oidc", "oidc2", "oidc3", "google", "github", "gitlab",
                "microsoft", "discord", "apple");
        assertThatThrownBy(() -> Providers.resolve(ProviderConfig.builder("myspace").clientId("c").build()))
                .isInstanceOfSatisfying(OAuth2Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(OAuth2Exception.Reason.CONFIG));
        assertThatThrownBy(() -> Providers.resolve(ProviderConfig.builder("oidc2").clientId("c").build()))
                .isInstanceOf(OAuth2Exception.class).hasMessageContaining("oidc2");
        assertThatThrownBy(() -> Providers.resolve(ProviderConfig.builder("google").build()))
                .isInstanceOf(OAuth2Exception.class);
    }

    @Test
    void pkceChallengeIsTheS256OfTheVerifier() {
        Pkce pkce = Pkce.generate();

        assertThat(pkce.verifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.generate().verifier()).isNotEqualTo(pkce.verifier());
        // RFC 7636, appendix B
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    private static ProviderConfig config(String name) {
        var b = ProviderConfig.builder(name).clientId("id-" + name).clientSecret("secret-" + name);
        if (name.startsWith("oidc")) b.authUrl("https://id.example.com/authorize").tokenUrl("https://id.example.com/token");
        return b.build();
    }
}
