package dev.nanodb.accounts.oauth2;

import java.time.Instant;
import java.util.Map;

/**
 * A provider's user in one shape for every provider (PocketBase's {@code AuthUser}). {@code id} is the provider's
 * stable account id and never empty. Text fields are empty strings, never null, when the provider has no value.
 * {@code email} is the address the provider gave; {@code emailVerified} says the provider vouches for it — only
 * {@link #verifiedEmail()} may be used to find, link or create an account by e-mail (PocketBase keeps only
 * verified addresses in its {@code email}). {@code rawUser} is the provider's user JSON as received (read-only).
 */
public record AuthUser(String id, String name, String username, String email, boolean emailVerified,
        String avatarUrl, Map<String, Object> rawUser, String accessToken, String refreshToken, Instant expiry) {

    public AuthUser {
        if (id == null || id.isEmpty()) throw new OAuth2Exception(OAuth2Exception.Reason.BAD_RESPONSE, "The OAuth2 user has no id.");
        rawUser = rawUser == null ? Map.of() : java.util.Collections.unmodifiableMap(rawUser);
    }

    /** The e-mail if the provider verified it, otherwise "". */
    public String verifiedEmail() {
        return emailVerified ? email : "";
    }

    @Override
    public String toString() {
        return "AuthUser[id=" + id + ", emailVerified=" + emailVerified + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the mapped fields; missing text stays "". */
    public static final class Builder {
        private String id = "", name = "", username = "", email = "", avatarUrl = "";
        private String accessToken = "", refreshToken = "";
        private boolean emailVerified;
        private Map<String, Object> rawUser = Map.of();
        private Instant expiry;

        public Builder id(String v) { id = orEmpty(v); return this; }
        public Builder name(String v) { name = orEmpty(v); return this; }
        public Builder username(String v) { username = orEmpty(v); return this; }
        public Builder avatarUrl(String v) { avatarUrl = orEmpty(v); return this; }
        public Builder rawUser(Map<String, Object> v) { rawUser = v; return this; }

        /** Sets the e-mail and whether the provider vouches for it; an empty address is never verified. */
        public Builder email(String address, boolean verified) {
            email = orEmpty(address);
            emailVerified = verified && !email.isEmpty();
            return this;
        }

        public Builder tokens(Tokens t) {
            accessToken = t.accessToken();
            refreshToken = t.refreshToken();
            expiry = t.expiry();
            return this;
        }

        public String id() { return id; }
        public String email() { return email; }
        public boolean emailVerified() { return emailVerified; }
        public String name() { return name; }

        public AuthUser build() {
            return new AuthUser(id, name, username, email, emailVerified, avatarUrl, rawUser, accessToken,
                    refreshToken, expiry);
        }

        private static String orEmpty(String v) {
            return v == null ? "" : v;
        }
    }
}
