package dev.nanodb.realtime;

/**
 * Realtime figures for {@code /api/stats}.
 *
 * @param clients        streams open now
 * @param connects       streams opened since start
 * @param refused        streams refused (per-IP limit)
 * @param dropped        clients disconnected because they did not drain their queue
 * @param droppedCostly  clients disconnected because their subscription filters cost more than their budget
 * @param idleClosed     clients closed after the idle timeout without subscriptions
 * @param events         events queued to clients
 */
public record RealtimeStats(int clients, long connects, long refused, long dropped, long droppedCostly, long idleClosed, long events) {}
