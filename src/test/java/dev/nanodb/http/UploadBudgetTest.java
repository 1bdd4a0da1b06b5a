package dev.nanodb.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.error.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What streamed uploads may hold at once: the limit across requests, every reservation given back, the disk's reserve. */
class UploadBudgetTest {
    @TempDir
    Path dir;

    @Test
    void requestsInFlightShareTheLimit() throws Exception {
        UploadBudget b = new UploadBudget(dir, 100);
        b.reserve(60);
        assertThatThrownBy(() -> b.reserve(41)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        b.reserve(40);
        b.release(60);
        b.reserve(60);
        assertThat(b.reserved()).isEqualTo(100);
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws Exception {
        UploadBudget b = new UploadBudget(dir, 1000);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int k = 0; k < 1000; k++) {
                        try {
                            b.reserve(300);
                            granted.incrementAndGet();
                            assertThat(b.reserved()).isLessThanOrEqualTo(1000);
                            b.release(300);
                        } catch (ApiException busy) {
                            assertThat(busy.status()).isEqualTo(503);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(granted.get()).isPositive();
        assertThat(b.reserved()).isZero();
    }

    @Test
    void anUploadTheDiskCannotHoldIs507() throws Exception {
        UploadBudget b = new UploadBudget(dir, Long.MAX_VALUE);
        long usable = Files.getFileStore(dir).getUsableSpace();
        assertThatThrownBy(() -> b.reserve(usable - UploadBudget.DISK_RESERVE + 1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(507));
        assertThat(b.reserved()).isZero();
    }
}
