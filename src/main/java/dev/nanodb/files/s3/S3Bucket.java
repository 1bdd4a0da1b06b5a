package dev.nanodb.files.s3;

import dev.nanodb.files.Bucket;
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
 * A {@link Bucket} on an S3-compatible service: objects at the bucket's root (the settings' prefix is not used).
 * An upload is one PUT of the whole file, streamed from disk by the SDK, never held in the heap.
 */
public final class S3Bucket implements Bucket, AutoCloseable {
    private final S3Client s3;
    private final String bucket;

    public S3Bucket(S3FileStorage.Settings s) {
        this.s3 = S3Calls.client(s);
        this.bucket = s.bucket();
    }

    @Override
    public void put(String name, Path source) throws IOException {
        S3Calls.call(() -> s3.putObject(r -> r.bucket(bucket).key(name), RequestBody.fromFile(source)));
    }

    @Override
    public Optional<FileStorage.Blob> find(String name) throws IOException {
        return S3Calls.head(s3, bucket, name).map(b -> b);
    }

    @Override
    public List<Listed> list() throws IOException {
        List<Listed> out = new ArrayList<>();
        S3Calls.call(() -> {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).delimiter("/")).contents()) {
                out.add(new Listed(o.key(), o.size(), o.lastModified()));
            }
            return null;
        });
        return out;
    }

    @Override
    public void delete(String name) throws IOException {
        S3Calls.call(() -> s3.deleteObject(r -> r.bucket(bucket).key(name)));
    }

    @Override
    public void close() {
        s3.close();
    }
}
