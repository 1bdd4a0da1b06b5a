package dev.nanodb.mail;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills PocketBase's placeholders ({@code {APP_NAME}}, {@code {APP_URL}}, {@code {TOKEN}}, {@code {OTP}},
 * {@code {OTP_ID}}, {@code {ALERT_INFO}}, {@code {RECORD:field}}) in a template.
 *
 * <p>In a body every value is HTML-escaped, because values such as a user's name are chosen by whoever signed up
 * and the body is HTML: a name can never add markup or a link to a message sent in the application's name. A
 * subject is plain text and takes values as they are, without line breaks (no header can be added through one).
 * A placeholder with no value is left as written.
 */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(APP_NAME|APP_URL|TOKEN|OTP|OTP_ID|ALERT_INFO|RECORD:[A-Za-z0-9_]+)}");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</h[1-6]>|</li>");

    private Templates() {}

    public static String subject(String template, Map<String, String> values) {
        return fill(template, values, false).replaceAll("[\\r\\n]+", " ");
    }

    public static String body(String template, Map<String, String> values) {
        return fill(template, values, true);
    }

    private static String fill(String template, Map<String, String> values, boolean html) {
        Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            String replacement = v == null ? m.group() : html ? escape(v) : v;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A readable plain-text alternative of an HTML body: line breaks kept, tags dropped, the common entities decoded. */
    static String plainText(String html) {
        String text = TAG.matcher(BREAK.matcher(html).replaceAll("\n")).replaceAll("");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
        return text.replaceAll("[ \\t]+", " ").replaceAll("\\n\\s*\\n\\s*\\n+", "\n\n").strip();
    }
}
