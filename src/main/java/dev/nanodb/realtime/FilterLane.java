package dev.nanodb.realtime;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the deliveries of clients with subscription filters or expansions run: off the fan-out thread, so what a
 * client's own filters and expansions cost (they are written by the client, and evaluated against records other clients wrote) delays that
 * client only, never the clients without filters, whose events the fan-out thread delivers itself.
 *
 * <p>Each such client has its own queue of deliveries, one per event, in commit order. The lane's thread serves
 * the queues in turns of one delivery each, round-robin, so one client with a long backlog cannot hold the others
 * back for more than one delivery at a time; what one delivery may cost is bounded by its filter budget (see
 * {@link Fanout}). A client keeps its events in order when its subscriptions change: while anything of it is
 * queued here, every later delivery queues behind it ({@link #needs}). A client with more than
 * {@link #MAX_BACKLOG} deliveries waiting, or whose waiting deliveries hold more than {@link #MAX_BACKLOG_BYTES} of
 * records (a waiting delivery keeps its change's record alive), is dropped as too slow, like a client that stops
 * reading; a first delivery is always taken, however large its record.
 */
final class FilterLane implements AutoCloseable {
    static final int MAX_BACKLOG = 1024;
    static final long MAX_BACKLOG_BYTES = 16L << 20;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nanodb-realtime-filters");
        t.setDaemon(true);
        return t;
    });

    /** One client's deliveries waiting in the lane. */
    static final class Queue {
        private final ConcurrentLinkedQueue<Item> items = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicBoolean scheduled = new AtomicBoolean();
    }

    /** A waiting delivery and the bytes of the record it keeps alive. */
    private record Item(Runnable delivery, long bytes) {}

    /**
     * Whether a delivery to {@code c} for these subscriptions (the ones the delivery will use) must go through the
     * lane: one of them has a filter or an expansion (which reads the store), or deliveries of {@code c} are still waiting here (then the new one must not
     * overtake them). Called on the fan-out thread.
     */
    boolean needs(RealtimeClient c, List<Subscription> subscriptions) {
        Queue q = c.lane;
        if (q != null && q.pending.get() > 0) return true;
        for (Subscription s : subscriptions) {
            if (s.filter() != null || s.expand() != null) return true;
        }
        return false;
    }

    /**
     * Queues {@code delivery} for {@code c}, behind its earlier ones; false (nothing queued) when the client
     * already has {@link #MAX_BACKLOG} waiting, or they and this one would hold more than {@link #MAX_BACKLOG_BYTES}.
     * Called on the fan-out thread only, which creates the client's queue on first use.
     *
     * @param bytes the size of the record the delivery keeps alive while it waits
     */
    boolean submit(RealtimeClient c, Runnable delivery, long bytes) {
        Queue q = c.lane;
        if (q == null) {
            q = new Queue();
            c.lane = q;
        }
        int waiting = q.pending.get();
        if (waiting >= MAX_BACKLOG || waiting > 0 && q.bytes.get() + bytes > MAX_BACKLOG_BYTES) return false;
        q.pending.incrementAndGet();
        q.bytes.addAndGet(bytes);
        q.items.add(new Item(delivery, bytes));
        schedule(q);
        return true;
    }

    private void schedule(Queue q) {
        if (!q.scheduled.compareAndSet(false, true)) return;
        try {
            thread.execute(() -> turn(q));
        } catch (RejectedExecutionException closing) {
            q.scheduled.set(false);
        }
    }

    /** Runs one delivery of {@code q}, then puts {@code q} at the back of the line if it has more. */
    private void turn(Queue q) {
        Item next = q.items.poll();
        try {
            if (next != null) next.delivery().run();
        } finally {
            if (next != null) {
                q.bytes.addAndGet(-next.bytes());
                q.pending.decrementAndGet();
            }
            q.scheduled.set(false);
            if (!q.items.isEmpty()) schedule(q);
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
