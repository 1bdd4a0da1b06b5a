package dev.nanodb.backups;

import dev.nanodb.files.Bucket;
import dev.nanodb.files.FileStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backups as objects at the root of an S3-compatible bucket ({@code backups.s3} in the settings), under their keys
 * (PocketBase's layout). An archive is written on local disk first and then uploaded in one PUT, which the bucket
 * makes visible whole or not at all; a restore first copies the object to local disk, streamed.
 */
final class BucketShelf implements Shelf {
    private final Bucket bucket;

    BucketShelf(Bucket bucket) {
        this.bucket = bucket;
    }

    @Override
    public List<BackupService.Backup> list() throws IOException {
        List<BackupService.Backup> out = new ArrayList<>();
        for (Bucket.Listed o : bucket.list()) {
            if (BackupService.NAME.matcher(o.name()).matches()) out.add(new BackupService.Backup(o.name(), o.size(), o.modified()));
        }
        return out;
    }

    @Override
    public Optional<FileStorage.Blob> find(String key) throws IOException {
        return bucket.find(key);
    }

    @Override
    public void keep(String key, Path source) throws IOException {
        bucket.put(key, source);
    }

    @Override
    public Path local(String key, Path work) throws IOException {
        FileStorage.Blob blob = bucket.find(key).orElseThrow(() -> new IOException("the backup " + key + " is gone from the bucket"));
        Path copy = work.resolve("fetched-" + key);
        try (InputStream in = blob.open(0, blob.size())) {
            Files.copy(in, copy);
        }
        return copy;
    }

    @Override
    public void delete(String key) throws IOException {
        bucket.delete(key);
    }
}
