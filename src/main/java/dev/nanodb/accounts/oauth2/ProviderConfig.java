package dev.nanodb.accounts.oauth2;

import java.util.Map;

/**
 * One provider as an auth collection configures it (PocketBase's {@code OAuth2ProviderConfig}): the provider's
 * {@code name} from {@link Providers#NAMES}, the client credentials, and optional overrides of the table's URLs,
 * display name and PKCE default. Empty strings (never null) mean "use the table's value"; {@code pkce} null means
 * the same. {@code extra} holds provider-specific options (for {@code oidc*}: {@code jwksURL}, {@code issuers};
 * for {@code microsoft}: {@code idTokenEmailClaim}).
 */
public record ProviderConfig(String name, String clientId, String clientSecret, String authUrl, String tokenUrl,
        String userInfoUrl, String displayName, Boolean pkce, Map<String, Object> extra) {

    public ProviderConfig {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    @Override
    public String toString() {
        return "ProviderConfig[name=" + name + ", clientId=" + clientId + "]";
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private String clientId = "", clientSecret = "", authUrl = "", tokenUrl = "", userInfoUrl = "", displayName = "";
        private Boolean pkce;
        private Map<String, Object> extra = Map.of();

        private Builder(String name) {
            this.name = name;
        }

        public Builder clientId(String v) { clientId = orEmpty(v); return this; }
        public Builder clientSecret(String v) { clientSecret = orEmpty(v); return this; }
        public Builder authUrl(String v) { authUrl = orEmpty(v); return this; }
        public Builder tokenUrl(String v) { tokenUrl = orEmpty(v); return this; }
        public Builder userInfoUrl(String v) { userInfoUrl = orEmpty(v); return this; }
        public Builder displayName(String v) { displayName = orEmpty(v); return this; }
        public Builder pkce(Boolean v) { pkce = v; return this; }
        public Builder extra(Map<String, Object> v) { extra = v; return this; }

        public ProviderConfig build() {
            return new ProviderConfig(name, clientId, clientSecret, authUrl, tokenUrl, userInfoUrl, displayName,
                    pkce, extra);
        }

        private static String orEmpty(String v) {
            return v == null ? "" : v;
        }
    }
}
