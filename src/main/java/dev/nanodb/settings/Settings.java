package dev.nanodb.settings;

import dev.nanodb.logs.LogPolicy;
import dev.nanodb.mail.SmtpServer;

/**
 * The settings kept in the database: every value here has passed {@link SettingsPatch}'s validation.
 *
 * @param meta the application as mail presents it
 * @param smtp the server mail is sent through
 * @param logs what the request logs keep ({@link LogsSettings})
 */
public record Settings(Meta meta, SmtpServer smtp, LogPolicy logs) {
    /**
     * @param appURL where the application's pages live: links in mail (a reset page, say) start with it
     */
    public record Meta(String appName, String appURL, String senderName, String senderAddress, boolean hideControls) {}

    public static Settings defaults(int port) {
        return new Settings(new Meta("NanoDB", "http://localhost:" + port, "Support", "no-reply@example.com", false),
                SmtpServer.DISABLED, LogPolicy.DEFAULT);
    }
}
