package dev.nanodb.accounts.oauth2;

import java.util.List;
import java.util.Map;

/**
 * One row of the provider table: a provider's defaults and the few facts in which providers differ. Everything
 * else (the authorization URL, the code exchange, fetching and mapping the user) is the one implementation in
 * {@link OAuth2Client}. URLs may be empty in the table (generic OIDC), in which case the configuration must give
 * them.
 *
 * @param clientAuth     how the client authenticates at the token endpoint
 * @param source         where the user's claims come from
 * @param authParams     fixed extra parameters of the authorization URL (Apple's {@code response_mode})
 * @param idTokenRules   fixed ID-token rules (Apple's JWKS and issuer); for OIDC they come from {@code extra}
 * @param emails         a second call for the user's verified address (GitHub), or null
 * @param openidWhenExtra an {@code extra} key that, when set, adds the {@code openid} scope (Microsoft's
 *                       {@code idTokenEmailClaim} needs an ID token), or ""
 */
public record ProviderSpec(String name, String displayName, String authUrl, String tokenUrl, String userInfoUrl,
        List<String> scopes, boolean pkce, ClientAuth clientAuth, UserSource source, Map<String, String> authParams,
        IdTokenRules idTokenRules, UserMapper mapper, EmailLookup emails, String openidWhenExtra) {

    /** Client authentication at the token endpoint. */
    public enum ClientAuth { BASIC, POST }

    /** Where the user's claims come from. */
    public enum UserSource {
        /** A bearer GET of the user-info URL. */
        USER_INFO,
        /** The user-info URL when one is configured, else the ID token (generic OIDC, as PocketBase). */
        USER_INFO_OR_ID_TOKEN,
        /** The ID token only, always verified against the JWKS (Apple has no user-info endpoint). */
        ID_TOKEN
    }

    /** Maps a provider's user JSON to the common fields (id, name, username, e-mail, avatar). */
    @FunctionalInterface
    public interface UserMapper {
        void map(Profile profile, AuthUser.Builder user);
    }

    /**
     * A follow-up request for the verified e-mail: GET {@code userInfoUrl + suffix} with the access token; a
     * 401/403/404 means "no permission for e-mails" and leaves the e-mail as the mapper set it.
     */
    public record EmailLookup(String suffix, UserMapper pick) {}

    /** Fixed ID-token rules: where the keys are and which issuers are accepted; expiry required when set. */
    public record IdTokenRules(String jwksUrl, List<String> issuers, boolean expiryRequired) {}

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private String displayName, authUrl = "", tokenUrl = "", userInfoUrl = "", openidWhenExtra = "";
        private List<String> scopes = List.of();
        private boolean pkce = true;
        private ClientAuth clientAuth = ClientAuth.BASIC;
        private UserSource source = UserSource.USER_INFO;
        private Map<String, String> authParams = Map.of();
        private IdTokenRules idTokenRules;
        private UserMapper mapper;
        private EmailLookup emails;

        private Builder(String name) {
            this.name = name;
            this.displayName = name;
        }

        public Builder displayName(String v) { displayName = v; return this; }
        public Builder urls(String auth, String token, String userInfo) {
            authUrl = auth;
            tokenUrl = token;
            userInfoUrl = userInfo;
            return this;
        }
        public Builder scopes(String... v) { scopes = List.of(v); return this; }
        public Builder pkce(boolean v) { pkce = v; return this; }
        public Builder clientAuth(ClientAuth v) { clientAuth = v; return this; }
        public Builder source(UserSource v) { source = v; return this; }
        public Builder authParams(Map<String, String> v) { authParams = Map.copyOf(v); return this; }
        public Builder idTokenRules(IdTokenRules v) { idTokenRules = v; return this; }
        public Builder mapper(UserMapper v) { mapper = v; return this; }
        public Builder emails(EmailLookup v) { emails = v; return this; }
        public Builder openidWhenExtra(String key) { openidWhenExtra = key; return this; }

        public ProviderSpec build() {
            return new ProviderSpec(name, displayName, authUrl, tokenUrl, userInfoUrl, scopes, pkce, clientAuth,
                    source, authParams, idTokenRules, mapper, emails, openidWhenExtra);
        }
    }
}
