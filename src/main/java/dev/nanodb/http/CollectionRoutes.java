package dev.nanodb.http;

import dev.nanodb.collections.CollectionJson;
import dev.nanodb.collections.CollectionService;
import dev.nanodb.store.CollectionDef;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collection management in PocketBase's shape, for superusers only: every route answers 401 without a token and
 * 403 with a token that is not a superuser's, before it reads anything. The routes only translate; every rule
 * about collections is {@link CollectionService}'s.
 */
final class CollectionRoutes {
    private static final String BASE = "/api/collections";
    private final CollectionService collections;

    CollectionRoutes(CollectionService collections) {
        this.collections = collections;
    }

    void mount(Router router, BodyHandler body) {
        router.route(BASE).handler(Requests::superusersOnly);
        router.route(BASE + "/:collection").handler(Requests::superusersOnly);
        router.get(BASE).handler(this::list);
        router.get(BASE + "/:collection").handler(this::view);
        router.post(BASE).handler(body).handler(this::create);
        router.patch(BASE + "/:collection").handler(body).handler(this::update);
        router.delete(BASE + "/:collection").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        List<Object> items = new ArrayList<>();
        for (CollectionDef c : collections.list()) items.add(CollectionJson.toMap(c));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", 1);
        out.put("perPage", items.size());
        out.put("totalItems", items.size());
        out.put("totalPages", items.isEmpty() ? 0 : 1);
        out.put("items", items);
        Responses.ok(ctx, out);
    }

    private void view(RoutingContext ctx) {
        Responses.ok(ctx, CollectionJson.toMap(collections.get(Requests.collection(ctx))));
    }

    private void create(RoutingContext ctx) {
        Requests.await(ctx, collections.create(Requests.body(ctx)), saved -> Responses.ok(ctx, CollectionJson.toMap(saved)));
    }

    private void update(RoutingContext ctx) {
        Requests.await(ctx, collections.update(Requests.collection(ctx), Requests.body(ctx)),
                saved -> Responses.ok(ctx, CollectionJson.toMap(saved)));
    }

    private void delete(RoutingContext ctx) {
        Requests.await(ctx, collections.delete(Requests.collection(ctx)), v -> ctx.response().setStatusCode(204).end());
    }
}
