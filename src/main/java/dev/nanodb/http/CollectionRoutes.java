package dev.nanodb.http;

import dev.nanodb.error.ApiException;
import dev.nanodb.schema.CollectionValidator;
import dev.nanodb.schema.Times;
import dev.nanodb.store.CollectionCodec;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Store;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collection management in PocketBase's shape, for superusers only: every route answers 401 without a token and
 * 403 with a token that is not a superuser's, before it reads anything.
 */
final class CollectionRoutes {
    private static final String BASE = "/api/collections";
    private final Store store;

    CollectionRoutes(Store store) {
        this.store = store;
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
        for (CollectionDef c : store.collections()) items.add(CollectionCodec.toMap(c));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", 1);
        out.put("perPage", items.size());
        out.put("totalItems", items.size());
        out.put("totalPages", items.isEmpty() ? 0 : 1);
        out.put("items", items);
        Responses.ok(ctx, out);
    }

    private CollectionDef find(RoutingContext ctx) {
        return store.collection(Requests.collection(ctx))
                .orElseThrow(() -> ApiException.notFound("The requested resource wasn't found."));
    }

    private void view(RoutingContext ctx) {
        Responses.ok(ctx, CollectionCodec.toMap(find(ctx)));
    }

    private void create(RoutingContext ctx) {
        CollectionDef def = CollectionValidator.validate(Requests.body(ctx), null, Times.now());
        if (store.collection(def.name()).isPresent()) {
            throw ApiException.invalidField("name", "validation_collection_name_exists", "The name is already in use.");
        }
        Requests.await(ctx, store.saveCollection(def), saved -> Responses.ok(ctx, CollectionCodec.toMap(saved)));
    }

    private void update(RoutingContext ctx) {
        CollectionDef existing = find(ctx);
        CollectionDef def = CollectionValidator.validate(Requests.body(ctx), existing, Times.now());
        if (existing.system() && !def.name().equals(existing.name())) {
            throw ApiException.invalidField("name", "validation_system_collection", "System collections cannot be renamed.");
        }
        store.collection(def.name()).filter(other -> !other.id().equals(def.id())).ifPresent(other -> {
            throw ApiException.invalidField("name", "validation_collection_name_exists", "The name is already in use.");
        });
        Requests.await(ctx, store.saveCollection(def), saved -> Responses.ok(ctx, CollectionCodec.toMap(saved)));
    }

    private void delete(RoutingContext ctx) {
        CollectionDef existing = find(ctx);
        if (existing.system()) throw new ApiException(400, "System collections cannot be deleted.");
        Requests.await(ctx, store.deleteCollection(existing.id()), v -> ctx.response().setStatusCode(204).end());
    }
}
