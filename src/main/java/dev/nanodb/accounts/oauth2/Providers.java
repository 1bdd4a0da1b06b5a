package dev.nanodb.accounts.oauth2;

import dev.nanodb.accounts.oauth2.OAuth2Exception.Reason;
import dev.nanodb.accounts.oauth2.ProviderSpec.ClientAuth;
import dev.nanodb.accounts.oauth2.ProviderSpec.EmailLookup;
import dev.nanodb.accounts.oauth2.ProviderSpec.IdTokenRules;
import dev.nanodb.accounts.oauth2.ProviderSpec.UserSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider table (PocketBase's names, URLs, scopes and PKCE defaults) and the resolution of a collection's
 * {@link ProviderConfig} against it. Adding a provider is adding a row here and, if its user JSON differs, a
 * function in {@link UserMappers}.
 */
public final class Providers {
    private static final Map<String, ProviderSpec> TABLE = table();

    /** The provider names a configuration may use. */
    public static final Set<String> NAMES = TABLE.keySet();

    private Providers() {}

    /**
     * PocketBase's {@code GET /api/collections/meta/oauth2-providers}: every provider a configuration may name, in
     * the table's order, as {@code {name, displayName, logo}} — no URL, scope or PKCE default. NanoDB ships no
     * provider logos, so {@code logo} is empty.
     */
    public static List<Map<String, Object>> listed() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProviderSpec spec : TABLE.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", spec.name());
            m.put("displayName", spec.displayName());
            m.put("logo", "");
            out.add(m);
        }
        return out;
    }

    /** The table row of {@code name}, or null when there is no such provider. */
    public static ProviderSpec spec(String name) {
        return TABLE.get(name);
    }

    /**
     * {@code config} over its table row: the configuration's non-empty values win. Refused (CONFIG) when the
     * name is unknown, the client id is missing, or the authorization or token URL is missing after merging (a
     * generic OIDC provider without URLs), or a provider that reads user info has no user-info URL.
     */
    public static Provider resolve(ProviderConfig config) {
        ProviderSpec spec = TABLE.get(config.name());
        if (spec == null) throw new OAuth2Exception(Reason.CONFIG, "Unknown OAuth2 provider.");
        String auth = or(config.authUrl(), spec.authUrl()), token = or(config.tokenUrl(), spec.tokenUrl());
        String userInfo = or(config.userInfoUrl(), spec.userInfoUrl());
        if (config.clientId().isEmpty() || auth.isEmpty() || token.isEmpty()
                || (spec.source() == UserSource.USER_INFO && userInfo.isEmpty())) {
            throw new OAuth2Exception(Reason.CONFIG, "The OAuth2 provider " + spec.name() + " is not fully configured.");
        }
        List<String> scopes = new ArrayList<>(spec.scopes());
        if (!spec.openidWhenExtra().isEmpty() && !Profile.text(config.extra(), spec.openidWhenExtra()).isEmpty()
                && !scopes.contains("openid")) {
            scopes.add("openid");
        }
        return new Provider(spec, config.clientId(), config.clientSecret(), auth, token, userInfo,
                or(config.displayName(), spec.displayName()),
                config.pkce() != null ? config.pkce() : spec.pkce(), List.copyOf(scopes), config.extra());
    }

    private static String or(String configured, String fallback) {
        return configured == null || configured.isEmpty() ? fallback : configured;
    }

    private static Map<String, ProviderSpec> table() {
        Map<String, ProviderSpec> t = new LinkedHashMap<>();
        for (String name : List.of("oidc", "oidc2", "oidc3")) {
            t.put(name, ProviderSpec.builder(name).displayName("OIDC").scopes("openid", "email", "profile")
                    .source(UserSource.USER_INFO_OR_ID_TOKEN).mapper(UserMappers::oidc).build());
        }
        t.put("google", ProviderSpec.builder("google").displayName("Google")
                .urls("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
                        "https://www.googleapis.com/oauth2/v3/userinfo")
                .scopes("https://www.googleapis.com/auth/userinfo.profile",
                        "https://www.googleapis.com/auth/userinfo.email")
                .mapper(UserMappers::oidc).build());
        t.put("github", ProviderSpec.builder("github").displayName("GitHub")
                .urls("https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token",
                        "https://api.github.com/user")
                .scopes("read:user", "user:email").clientAuth(ClientAuth.POST)
                .mapper(UserMappers::github).emails(new EmailLookup("/emails", UserMappers::githubEmails)).build());
        t.put("gitlab", ProviderSpec.builder("gitlab").displayName("GitLab")
                .urls("https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token",
                        "https://gitlab.com/api/v4/user")
                .scopes("read_user").mapper(UserMappers::gitlab).build());
        t.put("microsoft", ProviderSpec.builder("microsoft").displayName("Microsoft")
                .urls("https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                        "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                        "https://graph.microsoft.com/v1.0/me")
                .scopes("User.Read").openidWhenExtra("idTokenEmailClaim").mapper(UserMappers::microsoft).build());
        t.put("discord", ProviderSpec.builder("discord").displayName("Discord")
                .urls("https://discord.com/api/oauth2/authorize", "https://discord.com/api/oauth2/token",
                        "https://discord.com/api/users/@me")
                .scopes("identify", "email").mapper(UserMappers::discord).build());
        t.put("apple", ProviderSpec.builder("apple").displayName("Apple")
                .urls("https://appleid.apple.com/auth/authorize", "https://appleid.apple.com/auth/token", "")
                .scopes("name", "email").clientAuth(ClientAuth.POST).source(UserSource.ID_TOKEN)
                .authParams(Map.of("response_mode", "form_post"))
                .idTokenRules(new IdTokenRules("https://appleid.apple.com/auth/keys",
                        List.of("https://appleid.apple.com"), true))
                .mapper(UserMappers::apple).build());
        return java.util.Collections.unmodifiableMap(t);
    }
}
