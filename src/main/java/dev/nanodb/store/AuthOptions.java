package dev.nanodb.store;

import java.util.List;
import java.util.Map;

/**
 * The options of an auth collection, in PocketBase's shape (its {@code collectionAuthOptions}). Every part is
 * present: {@link #defaults()} fills what a definition does not say, so readers never meet a null part.
 * A stored definition written before these options existed reads as {@link #defaults()}.
 *
 * <p>Durations are in seconds. {@code tokens.auth() == 0} means "the server's {@code JWT_EXPIRES_IN}": that
 * setting stays the default for every collection that does not choose its own auth token duration.
 *
 * @param authRule   checked after every successful sign-in against the signed-in record; "" = everyone, null = no
 *                   one may sign in to this collection (PocketBase)
 * @param manageRule who (besides superusers) may change another record's email, password and verified flag without
 *                   its old password; null = superusers only
 */
public record AuthOptions(String authRule, String manageRule, Alert authAlert, OAuth2 oauth2, PasswordAuth passwordAuth,
                          Mfa mfa, Otp otp, TokenDurations tokens, Templates templates) {

    /** A mail's subject and body; placeholders such as {@code {APP_NAME}} are filled in when it is sent. */
    public record Template(String subject, String body) {}

    /** The mail sent when an account signs in from a new location. */
    public record Alert(boolean enabled, Template emailTemplate) {}

    /** Which record fields a provider's user data fills ("" = none). */
    public record MappedFields(String id, String name, String username, String avatarURL) {
        public static final MappedFields NONE = new MappedFields("", "", "", "");
    }

    /**
     * One configured OAuth2 provider. {@code clientSecret} is stored but never returned by the API; a change that
     * omits it keeps the stored one. Empty URLs mean the provider's own defaults.
     *
     * @param pkce null = the provider's default
     */
    public record Provider(String name, String clientId, String clientSecret, String authURL, String tokenURL,
                           String userInfoURL, String displayName, Boolean pkce, Map<String, Object> extra) {
        public Provider {
            extra = extra == null ? Map.of() : Map.copyOf(extra);
        }

        public Provider withClientSecret(String secret) {
            return new Provider(name, clientId, secret, authURL, tokenURL, userInfoURL, displayName, pkce, extra);
        }
    }

    public record OAuth2(boolean enabled, MappedFields mappedFields, List<Provider> providers) {
        public OAuth2 {
            providers = providers == null ? List.of() : List.copyOf(providers);
        }
    }

    /** @param identityFields the unique fields a sign-in's {@code identity} may match, tried in this order */
    public record PasswordAuth(boolean enabled, List<String> identityFields) {
        public PasswordAuth {
            identityFields = identityFields == null ? List.of() : List.copyOf(identityFields);
        }
    }

    public record Mfa(boolean enabled, long duration, String rule) {}

    public record Otp(boolean enabled, long duration, int length, Template emailTemplate) {}

    /** Seconds each kind of token lives; {@code auth == 0}: the server's {@code JWT_EXPIRES_IN}. */
    public record TokenDurations(long auth, long passwordReset, long emailChange, long verification, long file) {}

    public record Templates(Template verification, Template resetPassword, Template confirmEmailChange) {}

    public static final String DEFAULT_IDENTITY_FIELD = "email";

    private static final AuthOptions DEFAULTS = new AuthOptions("", null,
            new Alert(true, new Template("Sign-in to {APP_NAME} from a new location",
                    "<p>Hello,</p><p>Your {APP_NAME} account was just signed in from a new location.</p>"
                            + "<p>If it was you, there is nothing to do. If not, change your password right away.</p>"
                            + "<p>— {APP_NAME}</p>")),
            new OAuth2(false, MappedFields.NONE, List.of()),
            new PasswordAuth(true, List.of(DEFAULT_IDENTITY_FIELD)),
            new Mfa(false, 600, ""),
            new Otp(false, 180, 8, new Template("Your {APP_NAME} sign-in code",
                    "<p>Hello,</p><p>Your one-time sign-in code is <strong>{OTP}</strong>.</p>"
                            + "<p>If you did not ask for it, ignore this mail.</p><p>— {APP_NAME}</p>")),
            new TokenDurations(0, 1800, 1800, 86400, 180),
            new Templates(
                    new Template("Confirm your {APP_NAME} e-mail address",
                            "<p>Hello,</p><p>Please confirm your e-mail address by opening this link:</p>"
                                    + "<p><a href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\">Confirm my address</a></p>"
                                    + "<p>— {APP_NAME}</p>"),
                    new Template("Reset your {APP_NAME} password",
                            "<p>Hello,</p><p>Someone asked to reset the password of your account. Open this link to choose a new one:</p>"
                                    + "<p><a href=\"{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}\">Reset my password</a></p>"
                                    + "<p>If it was not you, ignore this mail; your password stays as it is.</p><p>— {APP_NAME}</p>"),
                    new Template("Confirm your new {APP_NAME} e-mail address",
                            "<p>Hello,</p><p>Open this link to make this address the e-mail of your account:</p>"
                                    + "<p><a href=\"{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}\">Confirm my new address</a></p>"
                                    + "<p>If it was not you, ignore this mail.</p><p>— {APP_NAME}</p>")));

    /** PocketBase's defaults, except the auth token duration, which is the server's (see the class documentation). */
    public static AuthOptions defaults() {
        return DEFAULTS;
    }

    /** The auth token's lifetime in seconds: this collection's own, else {@code serverDefault}. */
    public long authTokenSeconds(long serverDefault) {
        return tokens.auth() > 0 ? tokens.auth() : serverDefault;
    }

    public AuthOptions withPasswordAuth(PasswordAuth v) {
        return new AuthOptions(authRule, manageRule, authAlert, oauth2, v, mfa, otp, tokens, templates);
    }

    public AuthOptions withOAuth2(OAuth2 v) {
        return new AuthOptions(authRule, manageRule, authAlert, v, passwordAuth, mfa, otp, tokens, templates);
    }

    public AuthOptions withRules(String newAuthRule, String newManageRule) {
        return new AuthOptions(newAuthRule, newManageRule, authAlert, oauth2, passwordAuth, mfa, otp, tokens, templates);
    }
}
