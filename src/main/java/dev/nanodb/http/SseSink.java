package dev.nanodb.http;

import dev.nanodb.realtime.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * A realtime client's Server-Sent Events stream. Its send queue is Netty's outbound buffer, bounded by
 * {@code REALTIME_QUEUE_BYTES} ({@link HttpServerResponse#setWriteQueueMaxSize}): when a client stops reading
 * and the buffer is full, {@link #send} answers false and the hub drops the client. Every call runs on the
 * connection's event loop.
 */
final class SseSink implements Sink {
    private static final Buffer HEARTBEAT = Buffer.buffer(":\n\n");
    private final HttpServerResponse response;
    private final HttpConnection connection;

    SseSink(HttpServerResponse response, HttpConnection connection) {
        this.response = response;
        this.connection = connection;
    }

    @Override
    public boolean send(String event, String id, byte[] data) {
        if (response.ended() || response.closed() || response.writeQueueFull()) return false;
        Buffer b = Buffer.buffer(data.length + event.length() + 64);
        if (id != null) b.appendString("id:").appendString(id).appendString("\n");
        b.appendString("event:").appendBytes(event.getBytes(StandardCharsets.UTF_8)).appendString("\n");
        b.appendString("data:").appendBytes(data).appendString("\n\n");
        response.write(b);
        return true;
    }

    @Override
    public boolean heartbeat() {
        if (response.ended() || response.closed() || response.writeQueueFull()) return false;
        response.write(HEARTBEAT);
        return true;
    }

    /** Closes the connection itself: a stream whose buffer is full would never see a graceful end. */
    @Override
    public void close() {
        connection.close();
    }
}
