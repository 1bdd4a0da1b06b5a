package dev.nanodb;

import dev.nanodb.files.Bucket;
import dev.nanodb.files.s3.S3Bucket;
import dev.nanodb.files.s3.S3FileStorage;
import dev.nanodb.settings.Settings;
import dev.nanodb.settings.SettingsService;
import java.util.function.Supplier;

/**
 * The bucket backups are kept in as the settings name it now ({@code backups.s3}), or null while it is disabled.
 * The client is built once per distinct bucket setting and reused; one the settings replaced is left to the garbage
 * collector (the URL-connection client holds no thread), since a download may still be reading through it.
 */
final class BackupBucket implements Supplier<Bucket> {
    private final SettingsService settings;
    private Settings.S3 built;
    private S3Bucket bucket;

    BackupBucket(SettingsService settings) {
        this.settings = settings;
    }

    @Override
    public synchronized Bucket get() {
        Settings.S3 s = settings.current().backups().s3();
        if (!s.enabled()) return null;
        if (!s.equals(built)) {
            bucket = new S3Bucket(new S3FileStorage.Settings(s.endpoint(), s.bucket(), s.region(), s.accessKey(), s.secret(),
                    "", s.forcePathStyle()));
            built = s;
        }
        return bucket;
    }
}
