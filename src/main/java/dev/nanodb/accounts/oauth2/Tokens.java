package dev.nanodb.accounts.oauth2;

import java.time.Instant;

/**
 * What a code exchange returned. {@code accessToken} is never empty; {@code refreshToken} and {@code idToken} are
 * empty strings when the provider sent none; {@code expiry} is null when the provider gave no lifetime.
 */
public record Tokens(String accessToken, String refreshToken, String idToken, Instant expiry) {
    @Override
    public String toString() {
        return "Tokens[expiry=" + expiry + "]";
    }
}
