package dev.nanodb.files.s3;

import dev.nanodb.files.FileStorage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import software.amazon.awssdk.services.s3.S3Client;

/** An object of a bucket as found by a HEAD: its bytes are read by ranged GETs, streamed. */
final class S3Blob implements FileStorage.Blob {
    private final S3Client s3;
    private final String bucket;
    private final String objectKey;
    private final long size;
    private final Instant modified;

    S3Blob(S3Client s3, String bucket, String objectKey, long size, Instant modified) {
        this.s3 = s3;
        this.bucket = bucket;
        this.objectKey = objectKey;
        this.size = size;
        this.modified = modified;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Instant modified() {
        return modified;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        if (length == 0) return InputStream.nullInputStream();
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return S3Calls.call(() -> s3.getObject(r -> r.bucket(bucket).key(objectKey).range(range)));
    }
}
