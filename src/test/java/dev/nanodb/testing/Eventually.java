package dev.nanodb.testing;

import java.time.Duration;

/** Waits for an assertion about background work to hold: retried until it passes or {@code within} has passed. */
public final class Eventually {
    private Eventually() {}

    public static void holds(Runnable assertion) {
        holds(Duration.ofSeconds(30), assertion);
    }

    public static void holds(Duration within, Runnable assertion) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) throw e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }
}
