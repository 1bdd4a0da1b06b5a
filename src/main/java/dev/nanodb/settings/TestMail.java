package dev.nanodb.settings;

import dev.nanodb.error.ApiException;
import dev.nanodb.mail.Mail;
import dev.nanodb.mail.Templates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message of {@code POST /api/settings/test/email}: PocketBase's body ({@code email}, {@code template},
 * optional {@code collection}, an auth collection's name or id), validated, and a message that says which template it stands for, sent from the
 * application's sender.
 */
public final class TestMail {
    public static final List<String> TEMPLATES = List.of("verification", "password-reset", "email-change", "otp", "login-alert");

    private TestMail() {}

    public static Mail compose(SettingsService settings, Map<String, Object> body) {
        Map<String, Object> errors = new LinkedHashMap<>();
        Object collection = body.get("collection");
        if (collection != null && !"".equals(collection) && !(collection instanceof String name && settings.isAuthCollection(name))) {
            errors.put("collection", ApiException.fieldError("validation_invalid_auth_collection",
                    "Must be a valid auth collection id or name."));
        }
        Object email = body.get("email");
        if (!(email instanceof String e) || e.length() > 254 || !SettingsPatch.EMAIL.matcher(e).matches()) {
            errors.put("email", ApiException.fieldError("validation_is_email", "Must be a valid email address."));
        }
        Object template = body.get("template");
        if (!(template instanceof String t) || !TEMPLATES.contains(t)) {
            errors.put("template", ApiException.fieldError("validation_in_invalid", "Must be one of " + TEMPLATES + "."));
        }
        if (!errors.isEmpty()) throw new ApiException(400, "Failed to send the test email.", errors);
        Map<String, String> values = settings.appValues();
        String subject = Templates.subject("{APP_NAME}: test e-mail (" + template + ")", values);
        String html = Templates.body("<p>This is a test e-mail of the <strong>" + template + "</strong> template, sent by "
                + "{APP_NAME} ({APP_URL}) to check its mail settings.</p>", values);
        return settings.mail((String) email, subject, html);
    }

    /** What the SMTP server or client said, short enough for an answer to the operator who asked for the test. */
    public static String reason(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("[\\r\\n]+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
