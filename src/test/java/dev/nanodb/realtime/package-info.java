/**
 * Realtime tests with real Server-Sent Events clients against a server started in the test JVM: the JDK's
 * {@link java.net.http.HttpClient} parsing SSE frames ({@link dev.nanodb.realtime.SseClient}) and plain sockets
 * that stop reading ({@link dev.nanodb.realtime.RawStream}). They cover both protocols (PocketBase topics and the
 * seed's {@code message} stream), per-client rules and revocation, hidden fields and subscription options, the
 * bounded send queue, 2,000 concurrent streams, and shutdown with streams open.
 */
package dev.nanodb.realtime;
