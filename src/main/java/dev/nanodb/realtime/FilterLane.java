package dev.nanodb.realtime;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the deliveries of clients with subscription filters run: off the fan-out thread, so what a client's own
 * filters cost (they are written by the client, and evaluated against records other clients wrote) delays that
 * client only, never the clients without filters, whose events the fan-out thread delivers itself.
 *
 * <p>Each such client has its own queue of deliveries, one per event, in commit order. The lane's thread serves
 * the queues in turns of one delivery each, round-robin, so one client with a long backlog cannot hold the others
 * back for more than one delivery at a time; what one delivery may cost is bounded by its filter budget (see
 * {@link Fanout}). A client keeps its events in order when its subscriptions change: while anything of it is
 * queued here, every later delivery queues behind it ({@link #needs}). A client with more than
 * {@link #MAX_BACKLOG} deliveries waiting is dropped as too slow, like a client that stops reading.
 */
final class FilterLane implements AutoCloseable {
    static final int MAX_BACKLOG = 1024;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nanodb-realtime-filters");
        t.setDaemon(true);
        return t;
    });

    /** One client's deliveries waiting in the lane. */
    static final class Queue {
        private final ConcurrentLinkedQueue<Runnable> items = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicBoolean scheduled = new AtomicBoolean();
    }

    /**
     * Whether a delivery to {@code c} for these subscriptions (the ones the delivery will use) must go through the
     * lane: one of them has a filter, or deliveries of {@code c} are still waiting here (then the new one must not
     * overtake them). Called on the fan-out thread.
     */
    boolean needs(RealtimeClient c, List<Subscription> subscriptions) {
        Queue q = c.lane;
        if (q != null && q.pending.get() > 0) return true;
        for (Subscription s : subscriptions) {
            if (s.filter() != null) return true;
        }
        return false;
    }

    /**
     * Queues {@code delivery} for {@code c}, behind its earlier ones; false (nothing queued) when the client
     * already has {@link #MAX_BACKLOG} waiting. Called on the fan-out thread only, which creates the client's
     * queue on first use.
     */
    boolean submit(RealtimeClient c, Runnable delivery) {
        Queue q = c.lane;
        if (q == null) {
            q = new Queue();
            c.lane = q;
        }
        if (q.pending.get() >= MAX_BACKLOG) return false;
        q.pending.incrementAndGet();
        q.items.add(delivery);
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
        Runnable next = q.items.poll();
        try {
            if (next != null) next.run();
        } finally {
            if (next != null) q.pending.decrementAndGet();
            q.scheduled.set(false);
            if (!q.items.isEmpty()) schedule(q);
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
