package dev.nanodb.files.s3;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …), one object per file under an optional key
 * prefix. A PUT of a whole object is atomic and durable when it is acknowledged, which is the storage contract; a
 * byte range is one ranged GET. SDK failures become {@link IOException}s here, so no S3 type leaves this package.
 */
public final class S3FileStorage implements FileStorage, AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /**
     * Where the bucket is and how to reach it.
     *
     * @param endpoint  the service URL ({@code https://s3.eu-central-1.amazonaws.com}, a MinIO URL); null for AWS's own
     * @param prefix    prepended to every key ({@code ""} or ending in {@code /})
     * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key} (most S3-compatible
     *                  servers need it)
     */
    public record Settings(String endpoint, String bucket, String region, String accessKey, String secretKey,
                           String prefix, boolean pathStyle) {
        @Override
        public String toString() {
            return "S3[" + endpoint + ", " + bucket + ", " + region + ", " + prefix + "]"; // never the keys
        }
    }

    public S3FileStorage(Settings s) {
        this.s3 = S3Calls.client(s);
        this.bucket = s.bucket();
        this.prefix = s.prefix() == null ? "" : s.prefix();
    }

    @Override
    public void put(FileKey key, Path source) throws IOException {
        S3Calls.call(() -> s3.putObject(r -> r.bucket(bucket).key(prefix + key), RequestBody.fromFile(source)));
    }

    @Override
    public Optional<Blob> find(FileKey key) throws IOException {
        return S3Calls.head(s3, bucket, prefix + key).map(b -> b);
    }

    @Override
    public void delete(FileKey key) throws IOException {
        S3Calls.call(() -> s3.deleteObject(r -> r.bucket(bucket).key(prefix + key)));
    }

    @Override
    public List<Entry> list(String keyPrefix) throws IOException {
        List<Entry> out = new ArrayList<>();
        S3Calls.call(() -> {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
                FileKey key = FileKey.parse(o.key().substring(prefix.length()));
                if (key != null) out.add(new Entry(key, o.lastModified()));
            }
            return null;
        });
        return out;
    }

    @Override
    public void close() {
        s3.close();
    }
}
