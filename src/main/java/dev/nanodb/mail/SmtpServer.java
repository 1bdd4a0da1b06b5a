package dev.nanodb.mail;

/**
 * The SMTP server mail goes through, as the settings hold it.
 *
 * @param authMethod {@code PLAIN} (also when empty) or {@code LOGIN}; used only when {@code username} is set
 * @param tls        true: implicit TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when
 *                   the server offers it
 * @param localName  the name given in EHLO/HELO; empty = the library's default
 */
public record SmtpServer(boolean enabled, String host, int port, String username, String password, String authMethod,
                         boolean tls, String localName) {
    public static final SmtpServer DISABLED = new SmtpServer(false, "", 587, "", "", "PLAIN", false, "");

    @Override
    public String toString() {
        return "SmtpServer[" + (enabled ? host + ":" + port : "disabled") + "]"; // never the password
    }
}
