package dev.nanodb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Proves that a server stays responsive while something runs: a background thread asks {@code GET /health} over
 * a new TCP connection every 25 ms (a stalled event loop delays exactly such a request: accepting, reading and
 * answering all happen on the loops) and records how long each answer took. {@link #worstMillis} is the slowest
 * answer; an answer that never came within the probe's 10 s socket timeout counts as 10 s.
 */
public final class StallProbe implements AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;
    private final URI base;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    private StallProbe(String baseUrl) {
        this.base = URI.create(baseUrl);
        this.thread = Thread.ofPlatform().daemon().name("stall-probe").start(this::loop);
    }

    /** Starts probing {@code baseUrl} now. */
    public static StallProbe start(String baseUrl) {
        return new StallProbe(baseUrl);
    }

    private void loop() {
        while (running.get()) {
            millis.add(once());
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long once() {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) return TIMEOUT_MS;
        } catch (IOException e) {
            return TIMEOUT_MS;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Stops probing (after one last probe, so that even a short run is probed at least once). */
    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(TIMEOUT_MS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        millis.add(once());
    }

    /** The slowest {@code /health} answer seen, in milliseconds. */
    public long worstMillis() {
        synchronized (millis) {
            return millis.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    /** How many probes answered. */
    public int probes() {
        return millis.size();
    }
}
