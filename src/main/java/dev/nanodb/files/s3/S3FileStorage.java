package dev.nanodb.files.s3;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
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
                           String prefix, boolean pathStyle) {}

    public S3FileStorage(Settings s) {
        var b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(s.region() == null || s.region().isBlank() ? "us-east-1" : s.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey())))
                .forcePathStyle(s.pathStyle())
                // plain bodies: some S3-compatible servers store the SDK's aws-chunked framing (signed chunks,
                // trailing checksums) as data
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s.endpoint() != null && !s.endpoint().isBlank()) b.endpointOverride(URI.create(s.endpoint()));
        this.s3 = b.build();
        this.bucket = s.bucket();
        this.prefix = s.prefix() == null ? "" : s.prefix();
    }

    @Override
    public void put(FileKey key, Path source) throws IOException {
        call(() -> s3.putObject(r -> r.bucket(bucket).key(prefix + key), RequestBody.fromFile(source)));
    }

    @Override
    public Optional<Blob> find(FileKey key) throws IOException {
        try {
            HeadObjectResponse h = call(() -> s3.headObject(r -> r.bucket(bucket).key(prefix + key)));
            return Optional.of(new S3Blob(prefix + key.toString(), h.contentLength(), h.lastModified()));
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchKeyException
                    || e.getCause() instanceof S3Exception x && x.statusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    @Override
    public void delete(FileKey key) throws IOException {
        call(() -> s3.deleteObject(r -> r.bucket(bucket).key(prefix + key)));
    }

    @Override
    public List<Entry> list(String keyPrefix) throws IOException {
        List<Entry> out = new ArrayList<>();
        call(() -> {
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

    private <T> T call(SdkCall<T> c) throws IOException {
        try {
            return c.run();
        } catch (SdkException | UncheckedIOException e) {
            throw new IOException("S3 storage: " + e.getMessage(), e);
        }
    }

    private interface SdkCall<T> {
        T run();
    }

    private final class S3Blob implements Blob {
        private final String objectKey;
        private final long size;
        private final Instant modified;

        S3Blob(String objectKey, long size, Instant modified) {
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
            return call(() -> s3.getObject(r -> r.bucket(bucket).key(objectKey).range(range)));
        }
    }
}
