package dev.nanodb.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileService;
import dev.nanodb.files.local.LocalFileStorage;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Snapshots;
import dev.nanodb.store.Store;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One backup or restore at a time: a second one is refused at once with PocketBase's message, never queued. */
class BackupServiceTest {

    @Test
    void aBackupOrRestoreWhileABackupRunsIsRefusedWithPocketBasesMessage(@TempDir Path dir) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Operations operations = new Operations();
        Store store = (Store) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Store.class, Snapshots.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "operations" -> operations;
                    case "snapshot" -> {
                        inside.countDown();
                        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                        Files.writeString((Path) args[0], "snapshot");
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        BackupService backups = new BackupService(store, new FileService(new LocalFileStorage(dir.resolve("storage")), store),
                dir.resolve("backups"));
        Files.createDirectories(dir.resolve("backups"));
        Files.writeString(dir.resolve("backups/old.mdb"), "an earlier backup");

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> backups.create("a.zip"));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(operations.running()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo("backup");
            assertThat(op.label()).isEqualTo("backup a.zip");
        });
        for (Runnable refused : new Runnable[] {() -> backups.create("b.zip"), () -> backups.create(null),
                () -> backups.restore("old.mdb")}) {
            assertThatThrownBy(refused::run).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).isEqualTo(BackupService.BUSY);
            });
        }
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("a.zip");
        assertThat(backups.create("c.zip")).isEqualTo("c.zip");
        assertThat(backups.list()).extracting(BackupService.Backup::key).containsExactlyInAnyOrder("a.zip", "c.zip", "old.mdb");
        assertThat(operations.running()).isEmpty();
        assertThat(operations.finished()).extracting(Operations.View::label).containsExactly("backup c.zip", "backup a.zip");
    }
}
