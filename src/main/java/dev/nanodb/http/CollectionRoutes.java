package dev.nanodb.http;

import dev.nanodb.collections.CollectionJson;
import dev.nanodb.collections.CollectionList;
import dev.nanodb.collections.CollectionService;
import dev.nanodb.records.ListParams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

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
        router.get(BASE + "/meta/scaffolds").handler(Requests::superusersOnly)
                .handler(ctx -> Responses.ok(ctx, collections.scaffolds()));
        router.get(BASE + "/meta/oauth2-providers").handler(Requests::superusersOnly)
                .handler(ctx -> Responses.ok(ctx, dev.nanodb.accounts.oauth2.Providers.listed()));
        router.put(BASE + "/import").handler(body).handler(this::importAll);
        router.get(BASE + "/:collection").handler(this::view);
        router.post(BASE).handler(body).handler(this::create);
        router.patch(BASE + "/:collection").handler(body).handler(this::update);
        router.delete(BASE + "/:collection/truncate").handler(Requests::superusersOnly).handler(this::truncate);
        router.delete(BASE + "/:collection").handler(this::delete);
    }

    /** PocketBase's list options, parsed as the records list parses them (400 naming the parameter). */
    private void list(RoutingContext ctx) {
        ListParams p = ListParams.parse(Requests.query(ctx, "page"), Requests.query(ctx, "perPage"), null, null,
                Requests.query(ctx, "fields"), null);
        Responses.ok(ctx, collections.list(new CollectionList.Params(p.page(), p.perPage(), Requests.query(ctx, "filter"),
                Requests.query(ctx, "sort"), p.fields())));
    }

    private void importAll(RoutingContext ctx) {
        Requests.await(ctx, collections.importCollections(Requests.body(ctx)), v -> ctx.response().setStatusCode(204).end());
    }

    /** Blocking: a truncate reads and deletes batch after batch, on a worker thread. */
    private void truncate(RoutingContext ctx) {
        String name = Requests.collection(ctx);
        Requests.blocking(ctx, () -> {
            collections.truncate(name);
            return null;
        }, v -> ctx.response().setStatusCode(204).end());
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
