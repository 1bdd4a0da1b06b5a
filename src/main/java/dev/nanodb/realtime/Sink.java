package dev.nanodb.realtime;

/**
 * One client's connection, implemented by the transport. Every method is called on the client's own
 * {@link RealtimeClient#executor() executor}, never concurrently.
 */
public interface Sink {
    /**
     * Queues one event. Returns false when the connection is gone or its bounded send queue is full — a client
     * that does not read — in which case the hub drops the client.
     */
    boolean send(String event, String id, byte[] data);

    /** Sends a keep-alive (an SSE comment); false as for {@link #send}. */
    boolean heartbeat();

    /** Ends the stream. */
    void close();
}
