package dev.nanodb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that delays every byte by a fixed time in each direction, as a database one network hop away would:
 * bytes read at {@code t} are written at {@code t + delay}, without limiting throughput (reading goes on while
 * earlier bytes wait). For tests of what a remote PostgreSQL costs a node, on the local server.
 */
public final class DelayProxy implements AutoCloseable {
    private static final byte[] EOF = new byte[0];
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final long delayNanos;

    private record Chunk(long due, byte[] bytes) {}

    public DelayProxy(String targetHost, int targetPort, long delayMillis) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        Thread.ofVirtual().name("delay-proxy-accept").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Copies {@code from} to {@code to}, each chunk held until its due time. */
    private void pump(Socket from, Socket to) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
            } catch (IOException ignored) {
                // the connection closed: pass the end on
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, EOF));
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait = c.due() - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                    if (c.bytes() == EOF) break;
                    out.write(c.bytes());
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException ignored) {
                // either side is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
