package dev.nanodb.http;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks on one event loop, coalescing hand-offs: when the store's writer completes a group of 64 writes,
 * their 64 responses reach the event loop with one wake-up instead of 64 (waking a loop is a system call, and
 * profiling showed it as the writer's single largest cost).
 */
final class LoopExecutor implements java.util.concurrent.Executor {
    private static final String KEY = "nanodb.loopExecutor";
    private final Context context;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private LoopExecutor(Context context) {
        this.context = context;
    }

    /** The executor of an event-loop context; call it on that context's thread. */
    static LoopExecutor of(Context context) {
        LoopExecutor e = context.get(KEY);
        if (e == null) {
            e = new LoopExecutor(context);
            context.put(KEY, e);
        }
        return e;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
    }

    private void drain() {
        scheduled.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) task.run();
    }
}
