package dev.nanodb.accounts.oauth2;

import java.util.List;
import java.util.Map;

/**
 * A provider ready to use: its table row with the collection's configuration applied. Made only by
 * {@link Providers#resolve}, so the client id and the authorization and token URLs are never empty, and
 * {@code userInfoUrl} is non-empty whenever the row reads user info.
 */
public record Provider(ProviderSpec spec, String clientId, String clientSecret, String authUrl, String tokenUrl,
        String userInfoUrl, String displayName, boolean pkce, List<String> scopes, Map<String, Object> extra) {

    public String name() {
        return spec.name();
    }

    @Override
    public String toString() {
        return "Provider[" + spec.name() + ", clientId=" + clientId + "]";
    }
}
