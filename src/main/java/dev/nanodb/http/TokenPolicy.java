package dev.nanodb.http;

import dev.nanodb.auth.AuthService;
import dev.nanodb.config.Config;
import dev.nanodb.error.ApiException;
import dev.nanodb.rules.Identity;

/**
 * The caller a token names, under {@code INVALID_TOKEN} ({@link Config.InvalidToken}): a valid token is its
 * account; an invalid or expired one is a 401 ({@code REJECT}) or no caller at all ({@code GUEST}). A guest is
 * exactly the anonymous caller — the same null identity — so it never sees more than a request without a token,
 * and every route that requires auth answers it the 401 it answers without one. Only the token's own 401 turns into
 * a guest; any other failure (a store that is unavailable) still fails the request. Used for the
 * {@code Authorization} header of {@code /api} and the realtime stream's {@code ?token=}, so both agree.
 */
final class TokenPolicy {
    private final AuthService auth;
    private final boolean guest;

    TokenPolicy(AuthService auth, Config.InvalidToken mode) {
        this.auth = auth;
        this.guest = mode == Config.InvalidToken.GUEST;
    }

    /** The caller of {@code token} (null = anonymous, also for a blank one). */
    Identity identify(String token) {
        try {
            return auth.identify(token);
        } catch (ApiException e) {
            if (guest && e.status() == 401) return null;
            throw e;
        }
    }
}
