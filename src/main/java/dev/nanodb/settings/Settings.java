package dev.nanodb.settings;

import dev.nanodb.logs.LogPolicy;
import dev.nanodb.mail.SmtpServer;

/**
 * The settings kept in the database: every value here has passed {@link SettingsPatch}'s validation.
 *
 * @param meta    the application as mail presents it
 * @param smtp    the server mail is sent through
 * @param backups scheduled backups and where backups are kept
 * @param logs    what the request logs keep ({@link LogsSettings})
 */
public record Settings(Meta meta, SmtpServer smtp, Backups backups, LogPolicy logs) {
    /**
     * @param appURL where the application's pages live: links in mail (a reset page, say) start with it
     */
    public record Meta(String appName, String appURL, String senderName, String senderAddress, boolean hideControls) {}

    /**
     * PocketBase's {@code backups} section.
     *
     * @param cron        when scheduled backups are taken (a cron expression; "" = never)
     * @param cronMaxKeep how many scheduled backups are kept (the oldest beyond it are removed after each)
     * @param s3          the bucket backups are kept in, when enabled (else {@code DB_PATH/backups})
     */
    public record Backups(String cron, int cronMaxKeep, S3 s3) {
        static final Backups DEFAULT = new Backups("", 3, S3.DISABLED);
    }

    /** An S3-compatible bucket, as PocketBase names its fields; {@code secret} is never answered. */
    public record S3(boolean enabled, String bucket, String region, String endpoint, String accessKey, String secret,
                     boolean forcePathStyle) {
        static final S3 DISABLED = new S3(false, "", "", "", "", "", false);

        @Override
        public String toString() {
            return "S3[" + enabled + ", " + bucket + ", " + region + ", " + endpoint + "]"; // never the keys
        }
    }

    public static Settings defaults(int port) {
        return new Settings(new Meta("NanoDB", "http://localhost:" + port, "Support", "no-reply@example.com", false),
                SmtpServer.DISABLED, Backups.DEFAULT, LogPolicy.DEFAULT);
    }
}
