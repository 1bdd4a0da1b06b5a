package dev.nanodb.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link AuthOptions} as the plain map of PocketBase's JSON shape ({@code authRule, manageRule, authAlert, oauth2,
 * passwordAuth, mfa, otp, authToken … fileToken, verificationTemplate …}), the keys an auth collection carries at its
 * top level. One converter serves the stored form and the collections API: the API leaves the client secrets out
 * ({@code withSecrets = false}) and reports type problems, the stored form keeps them and trusts its input.
 *
 * <p>Reading is total: a missing or mistyped key takes its value from {@code base} (the defaults, or the stored
 * options a change applies to) and a mistyped one is reported to {@code problems} with its dotted path.
 */
public final class AuthOptionsCodec {
    /** The top-level keys an auth collection's options occupy. */
    public static final List<String> KEYS = List.of("authRule", "manageRule", "authAlert", "oauth2", "passwordAuth",
            "mfa", "otp", "authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken",
            "verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate");

    private AuthOptionsCodec() {}

    public static Map<String, Object> toMap(AuthOptions o, boolean withSecrets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("authRule", o.authRule());
        m.put("manageRule", o.manageRule());
        m.put("authAlert", map("enabled", o.authAlert().enabled(), "emailTemplate", template(o.authAlert().emailTemplate())));
        List<Object> providers = new ArrayList<>();
        for (AuthOptions.Provider p : o.oauth2().providers()) providers.add(provider(p, withSecrets));
        AuthOptions.MappedFields f = o.oauth2().mappedFields();
        m.put("oauth2", map("enabled", o.oauth2().enabled(), "mappedFields", map("id", f.id(), "name", f.name(),
                "username", f.username(), "avatarURL", f.avatarURL()), "providers", providers));
        m.put("passwordAuth", map("enabled", o.passwordAuth().enabled(), "identityFields", o.passwordAuth().identityFields()));
        m.put("mfa", map("enabled", o.mfa().enabled(), "duration", o.mfa().duration(), "rule", o.mfa().rule()));
        m.put("otp", map("enabled", o.otp().enabled(), "duration", o.otp().duration(), "length", (long) o.otp().length(),
                "emailTemplate", template(o.otp().emailTemplate())));
        AuthOptions.TokenDurations t = o.tokens();
        m.put("authToken", map("duration", t.auth()));
        m.put("passwordResetToken", map("duration", t.passwordReset()));
        m.put("emailChangeToken", map("duration", t.emailChange()));
        m.put("verificationToken", map("duration", t.verification()));
        m.put("fileToken", map("duration", t.file()));
        m.put("verificationTemplate", template(o.templates().verification()));
        m.put("resetPasswordTemplate", template(o.templates().resetPassword()));
        m.put("confirmEmailChangeTemplate", template(o.templates().confirmEmailChange()));
        return m;
    }

    private static Map<String, Object> provider(AuthOptions.Provider p, boolean withSecrets) {
        Map<String, Object> m = map("name", p.name(), "clientId", p.clientId());
        if (withSecrets) m.put("clientSecret", p.clientSecret());
        m.putAll(map("authURL", p.authURL(), "tokenURL", p.tokenURL(), "userInfoURL", p.userInfoURL(),
                "displayName", p.displayName()));
        m.put("pkce", p.pkce());
        m.put("extra", p.extra());
        return m;
    }

    private static Map<String, Object> template(AuthOptions.Template t) {
        return map("subject", t.subject(), "body", t.body());
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** The options {@code m} states, the rest from {@code base}; mistyped values go to {@code problems}. */
    public static AuthOptions fromMap(Map<?, ?> m, AuthOptions base, BiConsumer<String, String> problems) {
        Reader r = new Reader(m, "", problems);
        Reader alert = r.object("authAlert");
        Reader oauth2 = r.object("oauth2");
        Reader mapped = oauth2.object("mappedFields");
        AuthOptions.MappedFields bm = base.oauth2().mappedFields();
        Reader pw = r.object("passwordAuth");
        Reader mfa = r.object("mfa");
        Reader otp = r.object("otp");
        AuthOptions.TokenDurations bt = base.tokens();
        AuthOptions.Templates tp = base.templates();
        return new AuthOptions(r.nullableString("authRule", base.authRule()), r.nullableString("manageRule", base.manageRule()),
                new AuthOptions.Alert(alert.bool("enabled", base.authAlert().enabled()),
                        alert.template("emailTemplate", base.authAlert().emailTemplate())),
                new AuthOptions.OAuth2(oauth2.bool("enabled", base.oauth2().enabled()),
                        new AuthOptions.MappedFields(mapped.string("id", bm.id()), mapped.string("name", bm.name()),
                                mapped.string("username", bm.username()), mapped.string("avatarURL", bm.avatarURL())),
                        oauth2.providers(base.oauth2().providers())),
                new AuthOptions.PasswordAuth(pw.bool("enabled", base.passwordAuth().enabled()),
                        pw.strings("identityFields", base.passwordAuth().identityFields())),
                new AuthOptions.Mfa(mfa.bool("enabled", base.mfa().enabled()), mfa.number("duration", base.mfa().duration()),
                        mfa.string("rule", base.mfa().rule())),
                new AuthOptions.Otp(otp.bool("enabled", base.otp().enabled()), otp.number("duration", base.otp().duration()),
                        (int) otp.number("length", base.otp().length()), otp.template("emailTemplate", base.otp().emailTemplate())),
                new AuthOptions.TokenDurations(r.object("authToken").number("duration", bt.auth()),
                        r.object("passwordResetToken").number("duration", bt.passwordReset()),
                        r.object("emailChangeToken").number("duration", bt.emailChange()),
                        r.object("verificationToken").number("duration", bt.verification()),
                        r.object("fileToken").number("duration", bt.file())),
                new AuthOptions.Templates(r.template("verificationTemplate", tp.verification()),
                        r.template("resetPasswordTemplate", tp.resetPassword()),
                        r.template("confirmEmailChangeTemplate", tp.confirmEmailChange())));
    }

    /** Typed reads of one JSON object at {@code path}; an absent object reads every key from its fallback. */
    private record Reader(Map<?, ?> m, String path, BiConsumer<String, String> problems) {
        private Object raw(String key, Class<?> type, String what) {
            if (m == null || !m.containsKey(key)) return null;
            Object v = m.get(key);
            if (v != null && type.isInstance(v)) return v;
            problems.accept(path + key, "Must be " + what + ".");
            return null;
        }

        Reader object(String key) {
            return new Reader((Map<?, ?>) raw(key, Map.class, "an object"), path + key + ".", problems);
        }

        String string(String key, String fallback) {
            Object v = raw(key, String.class, "a string");
            return v == null ? fallback : (String) v;
        }

        String nullableString(String key, String fallback) {
            if (m != null && m.containsKey(key) && m.get(key) == null) return null;
            return string(key, fallback);
        }

        boolean bool(String key, boolean fallback) {
            Object v = raw(key, Boolean.class, "true or false");
            return v == null ? fallback : (Boolean) v;
        }

        long number(String key, long fallback) {
            Object v = raw(key, Number.class, "a whole number");
            if (v == null) return fallback;
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d) || Math.abs(d) > 1e15) {
                problems.accept(path + key, "Must be a whole number.");
                return fallback;
            }
            return (long) d;
        }

        List<String> strings(String key, List<String> fallback) {
            Object v = raw(key, List.class, "a list of strings");
            if (v == null) return fallback;
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                if (o instanceof String s) {
                    if (!out.contains(s)) out.add(s);
                } else {
                    problems.accept(path + key, "Must be a list of strings.");
                    return fallback;
                }
            }
            return out;
        }

        AuthOptions.Template template(String key, AuthOptions.Template fallback) {
            Reader t = object(key);
            return new AuthOptions.Template(t.string("subject", fallback.subject()), t.string("body", fallback.body()));
        }

        List<AuthOptions.Provider> providers(List<AuthOptions.Provider> fallback) {
            Object v = raw("providers", List.class, "a list of providers");
            if (v == null) return fallback;
            List<AuthOptions.Provider> out = new ArrayList<>();
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> pm)) {
                    problems.accept(path + "providers." + i, "Must be an object.");
                    continue;
                }
                Reader p = new Reader(pm, path + "providers." + i + ".", problems);
                // null is what a read answers for an unset pkce or extra, so a client may send it back (PocketBase).
                Object pkce = pm.get("pkce") == null ? null : p.raw("pkce", Boolean.class, "true, false or null");
                Object extra = pm.get("extra") == null ? null : p.raw("extra", Map.class, "an object");
                @SuppressWarnings("unchecked")
                Map<String, Object> extraMap = (Map<String, Object>) extra;
                out.add(new AuthOptions.Provider(p.string("name", ""), p.string("clientId", ""),
                        p.string("clientSecret", ""), p.string("authURL", ""), p.string("tokenURL", ""),
                        p.string("userInfoURL", ""), p.string("displayName", ""), (Boolean) pkce, extraMap));
            }
            return out;
        }
    }
}
