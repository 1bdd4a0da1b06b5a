package dev.nanodb.files.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The client both S3 stores build, and the one place SDK failures become {@link IOException}s. */
final class S3Calls {
    private S3Calls() {}

    static S3Client client(S3FileStorage.Settings s) {
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
        return b.build();
    }

    static <T> T call(SdkCall<T> c) throws IOException {
        try {
            return c.run();
        } catch (SdkException | UncheckedIOException e) {
            throw new IOException("S3 storage: " + e.getMessage(), e);
        }
    }

    /** The object's HEAD, or empty when there is no such object. */
    static Optional<S3Blob> head(S3Client s3, String bucket, String objectKey) throws IOException {
        try {
            HeadObjectResponse h = call(() -> s3.headObject(r -> r.bucket(bucket).key(objectKey)));
            return Optional.of(new S3Blob(s3, bucket, objectKey, h.contentLength(), h.lastModified()));
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchKeyException
                    || e.getCause() instanceof S3Exception x && x.statusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    interface SdkCall<T> {
        T run();
    }
}
