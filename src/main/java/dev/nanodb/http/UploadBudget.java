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
 * <p>Refusals: 503 when the reservations of the requests in flight would pass {@link #limit()} (try again soon);
 * 507 when the disk would keep less than {@link #DISK_RESERVE} free — the store needs that room to go on writing.
 */
final class UploadBudget {
    /** Free space the uploads may never take: the store's own writes need it. */
    static final long DISK_RESERVE = 256L << 20;
    private final AtomicLong reserved = new AtomicLong();
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

    /** Reserves {@code bytes} for one request, or throws the refusal; the caller releases exactly once. */
    void reserve(long bytes) {
        long usable;
        try {
            usable = disk.getUsableSpace();
        } catch (IOException e) {
            usable = Long.MAX_VALUE;
        }
        if (usable - bytes < DISK_RESERVE) throw new ApiException(507, "There is not enough disk space for this upload.");
        for (long now = reserved.get(); ; now = reserved.get()) {
            if (now + bytes > limit) {
                throw new ApiException(503, "Too many uploads are being received at once; try again shortly.");
            }
            if (reserved.compareAndSet(now, now + bytes)) return;
        }
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    long reserved() {
        return reserved.get();
    }
}
