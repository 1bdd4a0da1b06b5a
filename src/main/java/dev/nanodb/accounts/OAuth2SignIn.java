package dev.nanodb.accounts;

import dev.nanodb.accounts.oauth2.AuthUser;
import dev.nanodb.accounts.oauth2.OAuth2Exception;
import dev.nanodb.accounts.oauth2.Provider;
import dev.nanodb.accounts.oauth2.Providers;
import dev.nanodb.auth.AuthService;
import dev.nanodb.error.ApiException;
import dev.nanodb.rules.Identity;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * PocketBase's {@code auth-with-oauth2}: a code (+ PKCE verifier) from the provider is exchanged for the provider's
 * user, who signs in as the record linked to that provider account, else as the signed-in caller (linking it), else
 * as the record with the provider's verified e-mail, else as a new record ({@link OAuth2Accounts} decides and
 * writes). The exchange blocks on the provider: {@link #exchange} runs on a worker thread, never an event loop.
 *
 * <p>The provider's tokens appear only in the answer's {@code meta}, to the one who signs in; failures carry the
 * protocol core's messages, which name no code, token or secret.
 */
public final class OAuth2SignIn {
    private final AuthService auth;
    private final OAuth2Providers providers;
    private final OAuth2Accounts accounts;

    public OAuth2SignIn(AuthService auth, OAuth2Providers providers, OAuth2Accounts accounts) {
        this.auth = auth;
        this.providers = providers;
        this.accounts = accounts;
    }

    /**
     * A checked request: the collection allows OAuth2 (else 403), {@code provider} is configured in it and
     * {@code code} is present (else 400 naming the field, as PocketBase), the provider's configuration is complete.
     */
    public record Form(CollectionDef collection, Provider provider, String code, String codeVerifier, String redirectURL,
                       Map<String, Object> createData) {}

    /** A sign-in's outcome: who, the token, and PocketBase's {@code meta} (the provider's user; {@code isNew}). */
    public record Result(Identity identity, String token, Map<String, Object> meta) {}

    /** The sign-in starts {@code auth-methods} lists. */
    public dev.nanodb.auth.OAuth2Starts starts() {
        return providers;
    }

    public Form form(String collection, Map<String, Object> body) {
        CollectionDef c = auth.authCollection(collection);
        if (!c.authOptions().oauth2().enabled()) {
            throw new ApiException(403, "The collection is not configured to allow OAuth2 authentication.");
        }
        String name = text(body, "provider");
        if (name.isEmpty()) throw ApiException.invalidField("provider", "validation_required", "Cannot be blank.");
        AuthOptions.Provider configured = name.length() > 100 ? null : OAuth2Providers.configured(c, name).orElse(null);
        if (configured == null) {
            throw ApiException.invalidField("provider", "validation_invalid_provider",
                    "Provider with name " + (name.length() > 100 ? name.substring(0, 100) : name) + " is missing or is not enabled.");
        }
        String code = text(body, "code");
        if (code.isEmpty()) throw ApiException.invalidField("code", "validation_required", "Cannot be blank.");
        Object createData = body.get("createData");
        if (createData != null && !(createData instanceof Map<?, ?>)) {
            throw ApiException.invalidField("createData", "validation_invalid_type", "Must be an object.");
        }
        Provider provider;
        try {
            provider = Providers.resolve(OAuth2Providers.config(configured));
        } catch (OAuth2Exception e) {
            throw new ApiException(500, "Failed to init provider " + name + ".");
        }
        String redirect = text(body, "redirectURL");
        if (redirect.isEmpty()) redirect = text(body, "redirectUrl");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = createData == null ? Map.of() : (Map<String, Object>) createData;
        return new Form(c, provider, code, text(body, "codeVerifier"), redirect, data);
    }

    /** Blocking: the code exchange and the provider's user; 400 on any refusal or failure of the provider. */
    public AuthUser exchange(Form form) {
        var tokens = call(() -> providers.client().exchange(form.provider(), form.code(), form.codeVerifier(),
                form.redirectURL()), "Failed to fetch OAuth2 token.");
        return call(() -> providers.client().fetchUser(form.provider(), tokens), "Failed to fetch OAuth2 user.");
    }

    /**
     * Blocking (store reads): finds or creates the record, writes the link, checks the collection's authRule
     * (after the write, as PocketBase) and issues the token.
     */
    public CompletableFuture<Result> complete(Form form, AuthUser user, Identity caller) {
        return accounts.signIn(form, user, caller).thenApply(outcome -> {
            auth.checkAuthRule(outcome.identity(), null);
            return new Result(outcome.identity(), auth.token(outcome.identity()), meta(user, outcome.isNew()));
        });
    }

    /** PocketBase's {@code meta}: its {@code AuthUser} JSON plus {@code isNew}; the e-mail only when verified. */
    static Map<String, Object> meta(AuthUser user, boolean isNew) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", user.id());
        m.put("name", user.name());
        m.put("username", user.username());
        m.put("email", user.verifiedEmail());
        m.put("avatarURL", user.avatarUrl());
        m.put("accessToken", user.accessToken());
        m.put("refreshToken", user.refreshToken());
        m.put("expiry", user.expiry() == null ? "" : dev.nanodb.schema.Times.formatPocketBase(user.expiry()));
        m.put("isNew", isNew);
        m.put("rawUser", user.rawUser());
        return m;
    }

    private static <T> T call(java.util.function.Supplier<T> work, String message) {
        try {
            return work.get();
        } catch (OAuth2Exception e) {
            throw new ApiException(400, message);
        }
    }

    private static String text(Map<String, Object> body, String key) {
        return body.get(key) instanceof String s ? s : "";
    }
}
