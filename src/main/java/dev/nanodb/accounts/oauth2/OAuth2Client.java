package dev.nanodb.accounts.oauth2;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.nanodb.accounts.oauth2.OAuth2Exception.Reason;
import dev.nanodb.accounts.oauth2.ProviderSpec.IdTokenRules;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth2 authorization-code flow with PKCE over any {@link Provider}. {@link #authUrl} is pure; {@link #exchange}
 * and {@link #fetchUser} block on the provider (each request bounded by {@link Options}), so callers run them on
 * worker threads, never on an event loop. Thread-safe; one instance serves every provider (it caches JWKS).
 */
public final class OAuth2Client {
    /**
     * Bounds of every call to a provider.
     *
     * @param idTokenLeeway clock skew allowed on an ID token's times (PocketBase: 5 minutes)
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, int maxResponseBytes, Duration idTokenLeeway) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), Duration.ofSeconds(15), 1 << 20, Duration.ofMinutes(5));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IdTokenRules NO_RULES = new IdTokenRules("", List.of(), false);
    private final BoundedHttp http;
    private final IdTokens idTokens;

    public OAuth2Client() {
        this(Options.defaults());
    }

    public OAuth2Client(Options options) {
        this.http = new BoundedHttp(options.connectTimeout(), options.requestTimeout(), options.maxResponseBytes());
        this.idTokens = new IdTokens(options.connectTimeout(), options.requestTimeout(), options.maxResponseBytes(),
                options.idTokenLeeway());
    }

    /**
     * The provider's consent-page URL. The PKCE challenge (S256) is included only when the provider uses PKCE;
     * {@code redirect_uri} is always the last parameter, so an empty {@code redirectUrl} gives PocketBase's
     * {@code …&redirect_uri=} to which the SDK appends its own.
     */
    public String authUrl(Provider provider, String state, String codeChallenge, String redirectUrl) {
        Objects.requireNonNull(state, "state");
        StringBuilder url = new StringBuilder(provider.authUrl()).append(provider.authUrl().contains("?") ? '&' : '?');
        Query q = new Query(url);
        q.add("client_id", provider.clientId()).add("response_type", "code")
                .add("scope", String.join(" ", provider.scopes())).add("state", state);
        if (provider.pkce() && codeChallenge != null && !codeChallenge.isEmpty()) {
            q.add("code_challenge", codeChallenge).add("code_challenge_method", Pkce.METHOD);
        }
        provider.spec().authParams().forEach(q::add);
        q.add("redirect_uri", redirectUrl == null ? "" : redirectUrl);
        return url.toString();
    }

    /**
     * Exchanges an authorization code for tokens. The verifier is sent when the provider uses PKCE. Refused
     * (REFUSED) when the provider answers with an OAuth2 error — a wrong code, verifier or redirect URL.
     */
    public Tokens exchange(Provider provider, String code, String codeVerifier, String redirectUrl) {
        if (code == null || code.isEmpty()) throw new OAuth2Exception(Reason.REFUSED, "The OAuth2 code is missing.");
        TokenRequest request;
        try {
            CodeVerifier verifier = provider.pkce() && codeVerifier != null && !codeVerifier.isEmpty()
                    ? new CodeVerifier(codeVerifier) : null;
            AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code),
                    redirectUrl == null || redirectUrl.isEmpty() ? null : URI.create(redirectUrl), verifier);
            request = provider.clientSecret().isEmpty()
                    ? new TokenRequest(URI.create(provider.tokenUrl()), new ClientID(provider.clientId()), grant)
                    : new TokenRequest(URI.create(provider.tokenUrl()), clientAuth(provider), grant);
        } catch (IllegalArgumentException e) {
            throw new OAuth2Exception(Reason.REFUSED, "The OAuth2 code, verifier or redirect URL is malformed.");
        }
        HTTPRequest httpRequest = request.toHTTPRequest();
        httpRequest.setAccept("application/json");
        HTTPResponse response = http.call(httpRequest, "token");
        TokenResponse parsed;
        try {
            parsed = OIDCTokenResponseParser.parse(response);
        } catch (ParseException e) {
            throw new OAuth2Exception(Reason.BAD_RESPONSE,
                    "The OAuth2 token answer could not be read (HTTP " + response.getStatusCode() + ").");
        }
        if (!parsed.indicatesSuccess()) {
            throw new OAuth2Exception(Reason.REFUSED, "The OAuth2 provider refused the code (HTTP "
                    + response.getStatusCode() + errorCode(parsed) + ").");
        }
        var tokens = parsed.toSuccessResponse().getTokens();
        AccessToken access = tokens.getAccessToken();
        RefreshToken refresh = tokens.getRefreshToken();
        String idToken = tokens instanceof OIDCTokens oidc && oidc.getIDTokenString() != null ? oidc.getIDTokenString() : "";
        Instant expiry = access.getLifetime() > 0 ? Instant.now().plusSeconds(access.getLifetime()) : null;
        return new Tokens(access.getValue(), refresh == null ? "" : refresh.getValue(), idToken, expiry);
    }

    /**
     * The provider's user for {@code tokens}, mapped by the provider's row. An ID token read as the user's source is
     * verified ({@link IdTokens}): with Apple's keys for Apple, with {@code extra.jwksURL} and {@code extra.issuers}
     * (when set) for generic OIDC without a user-info URL.
     */
    public AuthUser fetchUser(Provider provider, Tokens tokens) {
        ProviderSpec spec = provider.spec();
        Map<String, Object> data = switch (spec.source()) {
            case USER_INFO -> userInfo(provider, tokens);
            case USER_INFO_OR_ID_TOKEN -> provider.userInfoUrl().isEmpty()
                    ? idTokens.verify(tokens.idToken(), provider.clientId(), oidcRules(provider.extra()))
                    : userInfo(provider, tokens);
            case ID_TOKEN -> idTokens.verify(tokens.idToken(), provider.clientId(),
                    Objects.requireNonNullElse(spec.idTokenRules(), NO_RULES));
        };
        Map<String, Object> idClaims = spec.openidWhenExtra().isEmpty() ? Map.of() : idTokens.loose(tokens.idToken());
        AuthUser.Builder user = AuthUser.builder();
        spec.mapper().map(new Profile(data, provider.extra(), idClaims), user);
        if (spec.emails() != null) {
            Object emails = get(provider.userInfoUrl() + spec.emails().suffix(), tokens, true);
            if (emails != null) spec.emails().pick().map(new Profile(Map.of("items", emails), provider.extra(), idClaims), user);
        }
        return user.rawUser(data).tokens(tokens).build();
    }

    /** The ID-token rules of a generic OIDC provider: PocketBase's {@code extra.jwksURL} and {@code extra.issuers}. */
    static IdTokenRules oidcRules(Map<String, Object> extra) {
        List<String> issuers = extra.get("issuers") instanceof List<?> list
                ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
        return new IdTokenRules(Profile.text(extra, "jwksURL"), issuers, false);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> userInfo(Provider provider, Tokens tokens) {
        if (get(provider.userInfoUrl(), tokens, false) instanceof Map<?, ?> map) return (Map<String, Object>) map;
        throw new OAuth2Exception(Reason.BAD_RESPONSE, "The OAuth2 user info is not a JSON object.");
    }

    /** A bearer GET parsed as JSON; null for 401/403/404 when {@code optional} (missing scope), else refused. */
    private Object get(String url, Tokens tokens, boolean optional) {
        HTTPRequest request;
        try {
            request = new HTTPRequest(HTTPRequest.Method.GET, URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new OAuth2Exception(Reason.CONFIG, "The OAuth2 user info URL is not a URL.");
        }
        request.setAuthorization("Bearer " + tokens.accessToken());
        request.setAccept("application/json");
        HTTPResponse response = http.call(request, "user info");
        int status = response.getStatusCode();
        if (optional && (status == 401 || status == 403 || status == 404)) return null;
        if (status < 200 || status > 299) {
            throw new OAuth2Exception(Reason.BAD_RESPONSE, "The OAuth2 user info request failed (HTTP " + status + ").");
        }
        try {
            return JSON.readValue(Objects.requireNonNullElse(response.getBody(), ""), Object.class);
        } catch (JacksonException e) {
            throw new OAuth2Exception(Reason.BAD_RESPONSE, "The OAuth2 user info is not JSON.");
        }
    }

    private static ClientAuthentication clientAuth(Provider provider) {
        ClientID id = new ClientID(provider.clientId());
        Secret secret = new Secret(provider.clientSecret());
        return provider.spec().clientAuth() == ProviderSpec.ClientAuth.POST
                ? new ClientSecretPost(id, secret) : new ClientSecretBasic(id, secret);
    }

    /** The OAuth2 error code (a registered token such as {@code invalid_grant}), never the description. */
    private static String errorCode(TokenResponse response) {
        var error = response.toErrorResponse().getErrorObject();
        String code = error == null ? null : error.getCode();
        return code != null && code.matches("[a-z_]{1,40}") ? ", " + code : "";
    }

    /** Appends form-encoded parameters to a URL being built. */
    private record Query(StringBuilder url) {
        Query add(String name, String value) {
            if (url.charAt(url.length() - 1) != '?' && url.charAt(url.length() - 1) != '&') url.append('&');
            url.append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            return this;
        }
    }
}
