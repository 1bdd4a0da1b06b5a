package dev.nanodb.settings;

import dev.nanodb.error.ApiException;
import dev.nanodb.mail.Mail;
import dev.nanodb.mail.Templates;
import dev.nanodb.schema.RecordValidator;
import dev.nanodb.store.AuthOptions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message of {@code POST /api/settings/test/email}: PocketBase's body ({@code email}, {@code template},
 * optional {@code collection}, an auth collection's name or id, default {@code _superusers}), validated, and that
 * collection's template filled with test values, sent from the application's sender.
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
        if (!(email instanceof String e) || e.length() > 254 || !RecordValidator.emailSyntax(e)) {
            errors.put("email", ApiException.fieldError("validation_is_email", "Must be a valid email address."));
        }
        Object template = body.get("template");
        if (!(template instanceof String t) || !TEMPLATES.contains(t)) {
            errors.put("template", ApiException.fieldError("validation_in_invalid", "Must be one of " + TEMPLATES + "."));
        }
        if (!errors.isEmpty()) throw new ApiException(400, "Failed to send the test email.", errors);
        AuthOptions options = settings.authOptions(collection instanceof String name && !name.isEmpty() ? name : "_superusers");
        AuthOptions.Template t = switch ((String) template) {
            case "verification" -> options.templates().verification();
            case "password-reset" -> options.templates().resetPassword();
            case "email-change" -> options.templates().confirmEmailChange();
            case "otp" -> options.otp().emailTemplate();
            default -> options.authAlert().emailTemplate();
        };
        Map<String, String> values = new HashMap<>(settings.appValues());
        values.putAll(Map.of("TOKEN", "__test_token__", "OTP", "123456", "OTP_ID", "__test_otp_id__",
                "ALERT_INFO", "__test_alert_info__", "RECORD:email", (String) email));
        String subject = Templates.subject(t.subject(), values);
        String html = Templates.body(t.body(), values);
        return settings.mail((String) email, subject, html);
    }

    /** What the SMTP server or client said, short enough for an answer to the operator who asked for the test. */
    public static String reason(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("[\\r\\n]+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
