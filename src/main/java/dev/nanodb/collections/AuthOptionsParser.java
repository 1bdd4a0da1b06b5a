package dev.nanodb.collections;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.AuthOptionsCodec;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An auth collection's options from a collections API body, validated as PocketBase validates them; problems go
 * into the caller's {@code errors} under dotted keys ({@code passwordAuth.identityFields.0}, {@code otp.length}).
 *
 * <p>A change merges like PocketBase's: a key the body leaves out keeps its stored value, an object given in part
 * changes only the keys it names, a list is replaced whole — except that a provider given without its
 * {@code clientSecret} keeps the stored secret of the provider with the same name, since the API never returns
 * secrets and a client sending back what it read must not erase them. Mapped OAuth2 fields that name no field of
 * the collection are cleared, as PocketBase does.
 */
final class AuthOptionsParser {
    /** PocketBase's bounds: a token lives 10 s to about three years; OTP and MFA windows at most a day. */
    static final long MIN_DURATION = 10;
    static final long MAX_TOKEN_DURATION = 94_670_856;
    static final long MAX_WINDOW = 86_400;
    /** OTP length: PocketBase's minimum; the maximum is NanoDB's (a code is typed by hand). */
    static final int MIN_OTP = 4;
    static final int MAX_OTP = 32;
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9_]{1,64}");

    private AuthOptionsParser() {}

    static AuthOptions parse(Map<String, Object> body, AuthOptions stored, CollectionDef draft,
                             Function<String, Optional<CollectionDef>> lookup, Map<String, Object> errors) {
        AuthOptions base = stored != null ? stored : AuthOptions.defaults();
        Map<String, Object> given = new LinkedHashMap<>();
        for (String k : AuthOptionsCodec.KEYS) {
            if (body.containsKey(k)) given.put(k, body.get(k));
        }
        AuthOptions o = AuthOptionsCodec.fromMap(given, base, (path, problem) ->
                errors.put(path, ApiException.fieldError("validation_invalid_value", problem)));
        o = o.withOAuth2(new AuthOptions.OAuth2(o.oauth2().enabled(), mapped(o.oauth2().mappedFields(), draft),
                keepSecrets(o.oauth2().providers(), base.oauth2().providers())));
        if (given.containsKey("authRule")) CollectionValidator.checkRule(o.authRule(), "authRule", draft, lookup, errors);
        if (given.containsKey("manageRule")) {
            if ("".equals(o.manageRule())) {
                errors.put("manageRule", ApiException.fieldError("validation_nil_or_not_empty_required",
                        "Must be null (superusers only) or a rule; leave it null rather than empty."));
            }
            CollectionValidator.checkRule(o.manageRule(), "manageRule", draft, lookup, errors);
        }
        checkTemplates(o, errors);
        checkDurations(o, errors);
        checkProviders(o.oauth2().providers(), errors);
        checkIdentityFields(o.passwordAuth(), draft, errors);
        checkMfa(o, draft, lookup, errors);
        return o;
    }

    private static List<AuthOptions.Provider> keepSecrets(List<AuthOptions.Provider> given, List<AuthOptions.Provider> stored) {
        List<AuthOptions.Provider> out = new ArrayList<>();
        for (AuthOptions.Provider p : given) {
            if (p.clientSecret().isEmpty()) {
                for (AuthOptions.Provider s : stored) {
                    if (s.name().equals(p.name())) p = p.withClientSecret(s.clientSecret());
                }
            }
            out.add(p);
        }
        return out;
    }

    private static AuthOptions.MappedFields mapped(AuthOptions.MappedFields f, CollectionDef draft) {
        return new AuthOptions.MappedFields(known(f.id(), draft), known(f.name(), draft), known(f.username(), draft),
                known(f.avatarURL(), draft));
    }

    private static String known(String field, CollectionDef draft) {
        return draft.field(field).isPresent() ? field : "";
    }

    private static void checkTemplates(AuthOptions o, Map<String, Object> errors) {
        template(o.authAlert().emailTemplate(), "authAlert.emailTemplate", errors);
        template(o.otp().emailTemplate(), "otp.emailTemplate", errors);
        template(o.templates().verification(), "verificationTemplate", errors);
        template(o.templates().resetPassword(), "resetPasswordTemplate", errors);
        template(o.templates().confirmEmailChange(), "confirmEmailChangeTemplate", errors);
    }

    private static void template(AuthOptions.Template t, String at, Map<String, Object> errors) {
        if (t.subject().isBlank()) errors.put(at + ".subject", required());
        if (t.body().isBlank()) errors.put(at + ".body", required());
    }

    private static void checkDurations(AuthOptions o, Map<String, Object> errors) {
        AuthOptions.TokenDurations t = o.tokens();
        if (t.auth() != 0) duration(t.auth(), MAX_TOKEN_DURATION, "authToken.duration", errors);
        duration(t.passwordReset(), MAX_TOKEN_DURATION, "passwordResetToken.duration", errors);
        duration(t.emailChange(), MAX_TOKEN_DURATION, "emailChangeToken.duration", errors);
        duration(t.verification(), MAX_TOKEN_DURATION, "verificationToken.duration", errors);
        duration(t.file(), MAX_TOKEN_DURATION, "fileToken.duration", errors);
        if (o.otp().enabled()) {
            duration(o.otp().duration(), MAX_WINDOW, "otp.duration", errors);
            if (o.otp().length() < MIN_OTP || o.otp().length() > MAX_OTP) {
                errors.put("otp.length", ApiException.fieldError("validation_out_of_range",
                        "Must be between " + MIN_OTP + " and " + MAX_OTP + "."));
            }
        }
        if (o.mfa().enabled()) duration(o.mfa().duration(), MAX_WINDOW, "mfa.duration", errors);
    }

    private static void duration(long seconds, long max, String at, Map<String, Object> errors) {
        if (seconds < MIN_DURATION || seconds > max) {
            errors.put(at, ApiException.fieldError("validation_out_of_range",
                    "Must be between " + MIN_DURATION + " and " + max + " seconds."));
        }
    }

    private static void checkProviders(List<AuthOptions.Provider> providers, Map<String, Object> errors) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < providers.size(); i++) {
            AuthOptions.Provider p = providers.get(i);
            String at = "oauth2.providers." + i + ".";
            if (!PROVIDER_NAME.matcher(p.name()).matches()) {
                errors.put(at + "name", ApiException.fieldError("validation_missing_provider",
                        "Required; lower-case letters, digits and _."));
            } else if (!names.add(p.name())) {
                errors.put(at + "name", ApiException.fieldError("validation_duplicated_provider",
                        "The provider " + p.name() + " is already registered."));
            }
            if (p.clientId().isBlank()) errors.put(at + "clientId", required());
            if (p.clientSecret().isBlank()) errors.put(at + "clientSecret", required());
            url(p.authURL(), at + "authURL", errors);
            url(p.tokenURL(), at + "tokenURL", errors);
            url(p.userInfoURL(), at + "userInfoURL", errors);
        }
    }

    private static void url(String u, String at, Map<String, Object> errors) {
        if (u.isEmpty()) return;
        try {
            URI uri = new URI(u);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return;
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        errors.put(at, ApiException.fieldError("validation_invalid_url", "Must be an http(s) URL."));
    }

    /**
     * Each identity field must hold one value per record: {@code email}, or a declared unique text or email field
     * (PocketBase asks for a unique index; in NanoDB that is {@code unique: true}). Checked only while password
     * sign-in is enabled, as PocketBase does.
     */
    private static void checkIdentityFields(AuthOptions.PasswordAuth p, CollectionDef draft, Map<String, Object> errors) {
        if (!p.enabled()) return;
        if (p.identityFields().isEmpty()) errors.put("passwordAuth.identityFields", required());
        for (int i = 0; i < p.identityFields().size(); i++) {
            FieldDef f = draft.field(p.identityFields().get(i)).orElse(null);
            boolean ok = f != null && f.unique() && (f.type() == FieldType.TEXT || f.type() == FieldType.EMAIL);
            if (!ok) {
                errors.put("passwordAuth.identityFields." + i, ApiException.fieldError("validation_field_not_unique",
                        "Must name a unique text or email field of this collection."));
            }
        }
    }

    private static void checkMfa(AuthOptions o, CollectionDef draft, Function<String, Optional<CollectionDef>> lookup,
                                 Map<String, Object> errors) {
        if (!o.mfa().enabled()) return;
        int methods = (o.passwordAuth().enabled() ? 1 : 0) + (o.oauth2().enabled() ? 1 : 0) + (o.otp().enabled() ? 1 : 0);
        if (methods < 2) {
            errors.put("mfa.enabled", ApiException.fieldError("validation_mfa_not_enough_auths",
                    "MFA requires at least 2 auth methods to be enabled."));
        }
        if (!o.mfa().rule().isEmpty()) CollectionValidator.checkRule(o.mfa().rule(), "mfa.rule", draft, lookup, errors);
    }

    private static Map<String, String> required() {
        return ApiException.fieldError("validation_required", "Cannot be blank.");
    }
}
