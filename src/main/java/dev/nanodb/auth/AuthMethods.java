package dev.nanodb.auth;

import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/collections/{c}/auth-methods} in PocketBase's shape: {@code password}
 * ({@code enabled, identityFields}), {@code oauth2} ({@code enabled, providers}), {@code mfa} and {@code otp}
 * ({@code enabled, duration}), plus PocketBase's legacy keys ({@code authProviders, usernamePassword,
 * emailPassword}) that older SDKs read. A disabled method answers no details (empty fields, zero duration), so the
 * answer reveals nothing of a method that is switched off.
 */
public final class AuthMethods {
    private AuthMethods() {}

    public static Map<String, Object> of(CollectionDef c, OAuth2Starts oauth2) {
        AuthOptions o = c.authOptions();
        boolean password = o.passwordAuth().enabled();
        List<String> identityFields = password ? o.passwordAuth().identityFields() : List.of();
        List<Map<String, Object>> providers = o.oauth2().enabled()
                ? oauth2.starts(c).stream().map(AuthMethods::provider).toList() : List.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("password", Map.of("enabled", password, "identityFields", identityFields));
        m.put("oauth2", Map.of("enabled", o.oauth2().enabled(), "providers", providers));
        m.put("mfa", Map.of("enabled", o.mfa().enabled(), "duration", o.mfa().enabled() ? o.mfa().duration() : 0));
        m.put("otp", Map.of("enabled", o.otp().enabled(), "duration", o.otp().enabled() ? o.otp().duration() : 0));
        m.put("authProviders", providers);
        m.put("usernamePassword", identityFields.contains("username"));
        m.put("emailPassword", identityFields.contains("email"));
        return m;
    }

    private static Map<String, Object> provider(OAuth2Starts.Start s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("displayName", s.displayName());
        m.put("state", s.state());
        m.put("authURL", s.authURL());
        m.put("authUrl", s.authURL());
        m.put("codeVerifier", s.codeVerifier());
        m.put("codeChallenge", s.codeChallenge());
        m.put("codeChallengeMethod", s.codeChallengeMethod());
        return m;
    }
}
