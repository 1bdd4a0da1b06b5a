package dev.nanodb.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The long operations (a backup, a restore, an index build over existing records) running in this process, and
 * the last {@link #HISTORY} that finished, so that an administrator can watch their progress.
 *
 * <p>Whoever does the work reports to its {@link Operation} from any thread; readers take {@link View}s, which
 * are copies. Progress is advisory: {@code done} never decreases and {@code total == 0} means "unknown".
 */
public final class Operations {
    /** How many finished operations are kept. */
    public static final int HISTORY = 10;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Operation> running = new ConcurrentHashMap<>();
    private final Deque<View> finished = new ArrayDeque<>();

    /** What one operation looked like when asked; {@code finishedAt} and {@code error} are null while it runs. */
    public record View(String id, String kind, String label, long done, long total, Instant startedAt,
                       Instant finishedAt, String error) {}

    /** Registers a running operation; close it (or {@link Operation#fail}) when the work ends. */
    public Operation start(String kind, String label, long total) {
        Operation op = new Operation("op" + ids.incrementAndGet(), kind, label, total);
        running.put(op.id, op);
        return op;
    }

    /** The operations running now, oldest first. */
    public List<View> running() {
        List<View> out = new ArrayList<>();
        for (Operation op : running.values()) out.add(op.view(null, null));
        out.sort(java.util.Comparator.comparing(View::startedAt).thenComparing(View::id));
        return out;
    }

    /** The last operations that ended, newest first. */
    public synchronized List<View> finished() {
        return List.copyOf(finished);
    }

    private synchronized void ended(Operation op, String error) {
        if (running.remove(op.id) == null) return;
        finished.addFirst(op.view(Instant.now(), error));
        while (finished.size() > HISTORY) finished.removeLast();
    }

    /** One running operation: its reporter sets {@code total} and {@code done} as the work advances. */
    public final class Operation implements AutoCloseable {
        private final String id;
        private final String kind;
        private final String label;
        private final Instant startedAt = Instant.now();
        private volatile long total;
        private volatile long done;

        private Operation(String id, String kind, String label, long total) {
            this.id = id;
            this.kind = kind;
            this.label = label;
            this.total = total;
        }

        public void total(long total) {
            this.total = total;
        }

        /** Sets the work done so far; a smaller value than before is ignored (progress only moves forward). */
        public void done(long done) {
            if (done > this.done) this.done = done;
        }

        public long doneSoFar() {
            return done;
        }

        /** Ends the operation as failed; {@code error} must be safe to show to an administrator. */
        public void fail(String error) {
            ended(this, error);
        }

        /** Ends the operation as successful (a no-op after {@link #fail}). */
        @Override
        public void close() {
            ended(this, null);
        }

        private View view(Instant finishedAt, String error) {
            return new View(id, kind, label, done, total, startedAt, finishedAt, error);
        }
    }
}
