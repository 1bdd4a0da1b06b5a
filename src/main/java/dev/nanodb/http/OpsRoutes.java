package dev.nanodb.http;

import dev.nanodb.logs.LogService;
import dev.nanodb.mail.Outbox;
import dev.nanodb.ratelimit.RateLimiter;
import dev.nanodb.schema.Times;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Operations;
import dev.nanodb.realtime.RealtimeHub;
import dev.nanodb.realtime.RealtimeStats;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreStats;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health, statistics, the consistency check and the progress of long operations. {@code /health} is also the benchmark's baseline, so it does
 * real but cheap work (uptime and heap figures, no system calls).
 */
final class OpsRoutes {
    private final Store store;
    private final RealtimeHub hub;
    private final RequestStats requests;
    private final RateLimiter limiter;
    private final Outbox outbox;
    private final LogService logs;
    private final long startedNanos = System.nanoTime();

    /** What the figures of {@code /api/stats} come from. */
    record Sources(Store store, RealtimeHub hub, RequestStats requests, RateLimiter limiter, Outbox outbox, LogService logs) {}

    OpsRoutes(Sources s) {
        this.outbox = s.outbox();
        this.store = s.store();
        this.hub = s.hub();
        this.requests = s.requests();
        this.limiter = s.limiter();
        this.logs = s.logs();
    }

    /** The health checks: public, and mounted first because load balancers call them most. */
    void mountHealth(Router router) {
        router.get("/health").handler(this::health);
        router.get("/api/health").handler(this::apiHealth);
    }

    void mount(Router router) {
        router.get("/api/stats").handler(this::stats);
        router.get("/api/admin/consistency").handler(this::consistency);
        router.get("/api/operations").handler(this::operations);
    }

    private void health(RoutingContext ctx) {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("heapUsed", rt.totalMemory() - rt.freeMemory());
        memory.put("heapTotal", rt.totalMemory());
        memory.put("heapMax", rt.maxMemory());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("uptime", (System.nanoTime() - startedNanos) / 1_000_000_000.0);
        out.put("memory", memory);
        Responses.ok(ctx, out);
    }

    private void apiHealth(RoutingContext ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", 200);
        out.put("message", "API is healthy.");
        out.put("data", Map.of());
        Responses.ok(ctx, out);
    }

    private void stats(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        Requests.blocking(ctx, store::stats, s -> {
            Map<String, Object> out = statsJson(s, hub.stats());
            out.put("requests", requests.snapshot());
            out.put("rateLimits", rateLimitsJson(limiter.stats()));
            out.put("mail", mailJson(outbox.stats()));
            out.put("logs", logsJson(logs.counters()));
            Responses.ok(ctx, out);
        });
    }

    private static Map<String, Object> mailJson(Outbox.Stats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queued", s.queued());
        out.put("sent", s.sent());
        out.put("failed", s.failed());
        out.put("retried", s.retried());
        out.put("dropped", s.dropped());
        out.put("unsent", s.unsent());
        out.put("lastError", s.lastError());
        return out;
    }

    private static Map<String, Object> logsJson(LogService.Counters c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queued", c.queued());
        out.put("dropped", c.dropped());
        out.put("lost", c.lost());
        out.put("entries", c.stored());
        out.put("bytes", c.bytes());
        out.put("maxBytes", c.budget());
        return out;
    }

    private static Map<String, Object> rateLimitsJson(RateLimiter.Stats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rejected", s.rejected());
        out.put("rejectedByRule", s.rejectedByRule());
        out.put("trackedKeys", s.trackedKeys());
        out.put("maxKeys", s.maxKeys());
        return out;
    }

    private static Map<String, Object> statsJson(StoreStats s, RealtimeStats rt) {
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("commits", s.commits());
        commit.put("writes", s.writesCommitted());
        commit.put("averageGroup", s.commits() == 0 ? 0 : (double) s.writesCommitted() / s.commits());
        commit.put("maxGroup", s.maxGroup());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", s.recordsPerCollection());
        out.put("storeBytes", s.sizeBytes());
        out.put("groupCommit", commit);
        Map<String, Object> realtime = new LinkedHashMap<>();
        realtime.put("clients", rt.clients());
        realtime.put("connects", rt.connects());
        realtime.put("refused", rt.refused());
        realtime.put("droppedSlow", rt.dropped());
        realtime.put("droppedCostlyFilters", rt.droppedCostly());
        realtime.put("closedIdle", rt.idleClosed());
        realtime.put("events", rt.events());
        out.put("realtime", realtime);
        out.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        return out;
    }

    /**
     * The long operations running now (backups, restores, index builds), oldest first; {@code ?finished=true}
     * lists the last ones that ended instead, newest first, with {@code finishedAt} and {@code error}.
     */
    private void operations(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        boolean finished = "true".equals(Requests.query(ctx, "finished"));
        List<Operations.View> views = finished ? store.operations().finished() : store.operations().running();
        Responses.ok(ctx, views.stream().map(v -> operationJson(v, finished)).toList());
    }

    private static Map<String, Object> operationJson(Operations.View v, boolean finished) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", v.id());
        out.put("kind", v.kind());
        out.put("label", v.label());
        out.put("done", v.done());
        out.put("total", v.total());
        out.put("startedAt", Times.formatPocketBase(v.startedAt()));
        if (finished) {
            out.put("finishedAt", Times.formatPocketBase(v.finishedAt()));
            out.put("error", v.error());
        }
        return out;
    }

    private void consistency(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        Requests.blocking(ctx, store::check, (ConsistencyReport r) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("clean", r.clean());
            out.put("recordsChecked", r.recordsChecked());
            out.put("indexEntriesChecked", r.indexEntriesChecked());
            out.put("problems", r.problems());
            Responses.ok(ctx, out);
        });
    }
}
