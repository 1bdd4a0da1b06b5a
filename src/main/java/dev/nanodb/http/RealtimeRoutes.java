package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.realtime.RealtimeClient;
import dev.nanodb.realtime.RealtimeHub;
import dev.nanodb.rules.Identity;
import dev.nanodb.schema.Names;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Realtime over Server-Sent Events, both protocols on one stream:
 * <ul>
 *   <li>{@code GET /api/realtime} opens the stream: {@code PB_CONNECT} (with the client id as the SSE
 *       {@code id:} and in the data, which is where the PocketBase SDK reads it), then the seed's
 *       {@code connected}. The seed's {@code ?collections=a,b&token=JWT} form subscribes at once;</li>
 *   <li>{@code POST /api/realtime {clientId, subscriptions}} (PocketBase) replaces the subscriptions, with the
 *       identity of this request's Authorization header; 204, or 404 for an unknown client id.</li>
 * </ul>
 */
final class RealtimeRoutes {
    private static final String PATH = "/api/realtime";
    private final RealtimeHub hub;
    private final TokenPolicy tokens;
    private final int queueBytes;
    private final ClientIps ips;
    private final boolean localReads;

    /**
     * @param ips        what the streams-per-client limit counts a client as ({@link Requests#clientKey})
     * @param localReads the store's reads may run on the event loop ({@code Store#readsAreLocal}); otherwise the
     *                   stream's token and a subscription's identity check are judged on a worker
     */
    RealtimeRoutes(RealtimeHub hub, TokenPolicy tokens, int queueBytes, ClientIps ips, boolean localReads) {
        this.localReads = localReads;
        this.hub = hub;
        this.tokens = tokens;
        this.queueBytes = queueBytes;
        this.ips = ips;
    }

    void mount(Router router, BodyHandler body) {
        router.get(PATH).handler(this::open);
        router.post(PATH).handler(body).handler(this::subscribe);
    }

    private void open(RoutingContext ctx) {
        String token = Requests.query(ctx, "token");
        Set<String> collections = collections(Requests.query(ctx, "collections"));
        if (token == null || token.isBlank()) {
            open(ctx, Requests.identity(ctx), collections);
        } else if (localReads) {
            open(ctx, tokens.identify(token), collections);
        } else {
            Requests.blocking(ctx, () -> tokens.identify(token), who -> open(ctx, who, collections));
        }
    }

    private void open(RoutingContext ctx, Identity who, Set<String> collections) {
        HttpServerResponse res = ctx.response();
        if (res.closed()) return;
        SseSink sink = new SseSink(res, ctx.request().connection());
        RealtimeClient client = hub.connect(Requests.clientKey(ctx, ips), who, collections, sink,
                LoopExecutor.of(ctx.vertx().getOrCreateContext()));
        res.setChunked(true).setWriteQueueMaxSize(queueBytes)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("Connection", "keep-alive")
                .putHeader("X-Accel-Buffering", "no");
        res.closeHandler(v -> hub.disconnect(client));
        byte[] hello = Json.write(Map.of("clientId", client.id()));
        sink.send("PB_CONNECT", client.id(), hello);
        sink.send("connected", null, hello);
    }

    private void subscribe(RoutingContext ctx) {
        Map<String, Object> body = Requests.body(ctx);
        Object clientId = body.get("clientId");
        Object subs = body.getOrDefault("subscriptions", List.of());
        if (!(subs instanceof List<?> list)) {
            throw ApiException.invalidField("subscriptions", "validation_invalid_type", "Must be a list of topics.");
        }
        String id = clientId instanceof String s ? s : null;
        Identity who = Requests.identity(ctx);
        if (localReads) {
            hub.subscribe(id, who, list);
            ctx.response().setStatusCode(204).end();
        } else {
            Requests.blocking(ctx, () -> {
                hub.subscribe(id, who, list);
                return Boolean.TRUE;
            }, done -> ctx.response().setStatusCode(204).end());
        }
    }

    /** The seed's {@code collections=a,b}; null when absent (every collection the client may view). */
    private static Set<String> collections(String raw) {
        if (raw == null || raw.isBlank()) return null;
        Set<String> out = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) continue;
            if (!Names.valid(name)) {
                throw ApiException.invalidField("collections", "validation_invalid_name", "Not a collection name: " + name);
            }
            out.add(name);
        }
        return out;
    }
}
