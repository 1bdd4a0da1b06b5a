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

    /** Starts {@code n} clients, each with its own random stream drawn from {@code rnd} (so a seed replays the load). */
    static List<Thread> startClients(int n, java.util.Random rnd, java.util.function.Consumer<java.util.Random> client) {
        List<Thread> out = new java.util.ArrayList<>();
        for (int c = 0; c < n; c++) {
            java.util.Random own = new java.util.Random(rnd.nextLong());
            out.add(Thread.ofPlatform().start(() -> client.accept(own)));
        }
        return out;
    }

    static void killAndJoin(ChildServer server, Flags flags, List<Thread> clients) throws InterruptedException {
        flags.killing = true;
        server.kill();
        flags.stopped = true;
        for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(60));
    }
}
