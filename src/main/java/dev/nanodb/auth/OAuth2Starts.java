package dev.nanodb.auth;

import dev.nanodb.store.CollectionDef;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The seam between {@code auth-methods} and the OAuth2 protocol: for each usable provider of an auth collection,
 * what a client needs to start a sign-in (PocketBase's {@code providerInfo}: a fresh {@code state}, the provider's
 * authorization URL with the client id, scopes and PKCE challenge in it, and the PKCE verifier the client keeps).
 * The OAuth2 implementation ({@code accounts.OAuth2Providers}) supplies it.
 */
public interface OAuth2Starts {
    /** One provider's sign-in start; empty strings for what does not apply (no PKCE). */
    record Start(String name, String displayName, String state, String authURL, String codeVerifier,
                 String codeChallenge, String codeChallengeMethod) {}

    /** The starts of {@code c}'s providers, in their configured order, leaving out those that cannot be used. */
    List<Start> starts(CollectionDef c);

    /** 30 random URL-safe characters, as long as PocketBase's states. */
    static String randomState() {
        byte[] b = new byte[23];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).substring(0, 30);
    }
}
