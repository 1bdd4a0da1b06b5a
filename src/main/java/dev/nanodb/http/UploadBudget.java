package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk that request bodies being streamed to {@code DB_PATH/uploads} may take at once, so that many large
 * uploads together can neither fill the disk the store lives on nor grow without bound: each streamed request
 * reserves its {@code Content-Length} (or, without one, the most its route accepts) before a byte is read, and
 * gives it back when the request ends (its temporary files are deleted then).
 *
 * <p>Refusals: 503 when the reservations of the requests in flight would pass {@link #limit()}, or one client's
 * a quarter of it (try again soon); 507 when the disk, less what is reserved and not yet written, would keep less
 * than {@link #DISK_RESERVE} free — the store needs that room to go on writing.
 */
final class UploadBudget {
    /** Free space the uploads may never take: the store's own writes need it. */
    static final long DISK_RESERVE = 256L << 20;
    private final AtomicLong reserved = new AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<String, Long> byClient = new java.util.concurrent.ConcurrentHashMap<>();
    private final FileStore disk;
    private final long limit;

    /** @param folder where streamed bodies go (it exists) */
    UploadBudget(Path folder, long limit) throws IOException {
        this.disk = Files.getFileStore(folder);
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /**
     * Reserves {@code bytes} for one request of {@code client}, or throws the refusal; the caller releases exactly
     * once. One client may hold at most a quarter of the limit, so a few slow requests of one client cannot keep
     * every other client's uploads out; a request alone (of its client, or on the server) may be larger, so that a
     * field whose files are larger than those shares can still be written to, one upload at a time.
     */
    void reserve(String client, long bytes) {
        long usable;
        try {
            usable = disk.getUsableSpace();
        } catch (IOException e) {
            usable = Long.MAX_VALUE;
        }
        if (usable - reserved.get() - bytes < DISK_RESERVE) {
            throw new ApiException(507, "There is not enough disk space for this upload.");
        }
        boolean[] granted = {false};
        byClient.compute(client, (k, held) -> {
            long mine = held == null ? 0 : held;
            if (mine > 0 && mine + bytes > limit / 4) return held;
            for (long now = reserved.get(); now == 0 || now + bytes <= limit; now = reserved.get()) {
                if (reserved.compareAndSet(now, now + bytes)) {
                    granted[0] = true;
                    return mine + bytes;
                }
            }
            return held;
        });
        if (!granted[0]) throw new ApiException(503, "Too many uploads are being received at once; try again shortly.");
    }

    void release(String client, long bytes) {
        byClient.computeIfPresent(client, (k, held) -> held - bytes <= 0 ? null : held - bytes);
        reserved.addAndGet(-bytes);
    }

    long reserved() {
        return reserved.get();
    }
}
