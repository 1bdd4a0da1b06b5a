package dev.nanodb.crash;

import dev.nanodb.testing.ChildServer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The moment of a crash test: clients are writing, the server gets SIGKILL, every client stops. */
final class Sigkill {
    private Sigkill() {}

    /** What the clients read: from {@code killing} on, a failed request is the kill's; {@code stopped} ends their loop. */
    static final class Flags {
        volatile boolean killing;
        volatile boolean stopped;
    }

    static void killAndJoin(ChildServer server, Flags flags, List<Thread> clients) throws InterruptedException {
        flags.killing = true;
        server.kill();
        flags.stopped = true;
        for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(60));
    }
}
