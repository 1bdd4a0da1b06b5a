package dev.nanodb.accounts;

import dev.nanodb.accounts.oauth2.OAuth2Client;
import dev.nanodb.accounts.oauth2.OAuth2Exception;
import dev.nanodb.accounts.oauth2.Pkce;
import dev.nanodb.accounts.oauth2.Provider;
import dev.nanodb.accounts.oauth2.ProviderConfig;
import dev.nanodb.accounts.oauth2.Providers;
import dev.nanodb.auth.OAuth2Starts;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An auth collection's configured OAuth2 providers as the protocol core uses them, and the sign-in starts that
 * {@code auth-methods} lists (PocketBase's {@code providerInfo}): per usable provider a fresh {@code state}, a fresh
 * PKCE pair (S256; the challenge is put in the URL only when the provider uses PKCE), and the authorization URL
 * ending in an empty {@code redirect_uri=}, to which the SDK appends its own. A provider whose configuration is
 * incomplete is left out of the listing rather than failing it. The client secret stays here, never in a start.
 */
public final class OAuth2Providers implements OAuth2Starts {
    private final OAuth2Client client;

    public OAuth2Providers(OAuth2Client client) {
        this.client = client;
    }

    public OAuth2Client client() {
        return client;
    }

    @Override
    public List<Start> starts(CollectionDef c) {
        List<Start> out = new ArrayList<>();
        for (AuthOptions.Provider p : c.authOptions().oauth2().providers()) {
            Provider provider;
            try {
                provider = Providers.resolve(config(p));
            } catch (OAuth2Exception incomplete) {
                continue;
            }
            String state = OAuth2Starts.randomState();
            Pkce pkce = Pkce.generate();
            out.add(new Start(p.name(), provider.displayName().isEmpty() ? p.name() : provider.displayName(), state,
                    client.authUrl(provider, state, pkce.challenge(), ""), pkce.verifier(), pkce.challenge(), Pkce.METHOD));
        }
        return out;
    }

    /** The configured provider of that name in {@code c}, if any. */
    static Optional<AuthOptions.Provider> configured(CollectionDef c, String name) {
        return c.authOptions().oauth2().providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** A stored provider configuration in the protocol core's shape. */
    static ProviderConfig config(AuthOptions.Provider p) {
        return ProviderConfig.builder(p.name()).clientId(p.clientId()).clientSecret(p.clientSecret()).authUrl(p.authURL())
                .tokenUrl(p.tokenURL()).userInfoUrl(p.userInfoURL()).displayName(p.displayName()).pkce(p.pkce())
                .extra(p.extra()).build();
    }
}
