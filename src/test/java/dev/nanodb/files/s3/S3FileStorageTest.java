package dev.nanodb.files.s3;

import dev.nanodb.files.FileStorage;
import dev.nanodb.files.FileStorageContract;
import dev.nanodb.testing.S3TestServer;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract against a real S3-compatible server (s3rver), each test under a key prefix of its own. */
class S3FileStorageTest extends FileStorageContract {
    private static S3TestServer server;
    private S3FileStorage storage;

    @BeforeAll
    static void startServer() throws IOException, InterruptedException {
        server = S3TestServer.shared();
    }

    @Override
    protected FileStorage storage() {
        if (storage == null) {
            storage = new S3FileStorage(new S3FileStorage.Settings(server.endpoint(), S3TestServer.BUCKET, "us-east-1",
                    S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, "t" + UUID.randomUUID() + "/", true));
        }
        return storage;
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) storage.close();
    }
}
