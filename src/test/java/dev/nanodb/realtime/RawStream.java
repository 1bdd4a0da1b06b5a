package dev.nanodb.realtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A realtime stream over a plain socket with a small receive buffer, read only as far as its {@code PB_CONNECT}
 * frame: afterwards the test decides whether it ever reads again. It models a client that stops reading (a
 * frozen tab, a dead peer) without the HTTP client's own buffering hiding it.
 */
final class RawStream implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("id:\\s?([^\\r\\n]+)\\r?\\n");
    private final Socket socket;
    private final String clientId;

    private RawStream(Socket socket, String clientId) {
        this.socket = socket;
        this.clientId = clientId;
    }

    /** Opens {@code GET /api/realtime} and reads just the response head and the {@code PB_CONNECT} frame. */
    static RawStream open(String baseUrl) {
        URI uri = URI.create(baseUrl);
        Socket s = new Socket();
        try {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/realtime HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) throw new AssertionError("stream ended before PB_CONNECT: " + seen);
                seen.append((char) b);
                int at = seen.indexOf("event:PB_CONNECT");
                if (at >= 0 && seen.indexOf("\n\n", at) >= 0) break;
            }
            if (!seen.toString().startsWith("HTTP/1.1 200")) throw new AssertionError("not a 200 stream: " + seen);
            Matcher m = ID.matcher(seen);
            if (!m.find()) throw new AssertionError("PB_CONNECT without an id line: " + seen);
            return new RawStream(s, m.group(1).strip());
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            throw new UncheckedIOException(e);
        }
    }

    String clientId() {
        return clientId;
    }

    /**
     * Reads and discards everything the server still sends until it closes the connection; true when the end came
     * within {@code timeout}, false when the connection was still open then.
     */
    boolean drainsToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[64 * 1024];
        try {
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read(buf) < 0) return true;
                } catch (SocketTimeoutException idle) {
                    // still open: keep waiting until the deadline
                }
            }
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
