package dev.nanodb.http;

import dev.nanodb.auth.AuthService;
import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.records.Expander;
import dev.nanodb.records.RecordJson;
import dev.nanodb.records.RecordService;
import dev.nanodb.rules.Identity;
import dev.nanodb.rules.RequestInfo;
import dev.nanodb.schema.Names;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Login and token refresh, in both shapes: the seed's {@code POST /api/auth/login} answers
 * {@code {token, user, record}}; PocketBase's {@code auth-with-password} and {@code auth-refresh} answer
 * {@code {token, record}}.
 */
final class AuthRoutes {
    private final AuthService auth;
    private final RecordService records;
    private final ClientIps ips;

    /**
     * @param records expands the answer's record ({@code ?expand=}) as the signed-in record may view it
     * @param ips     what the failed-login limit counts a client as ({@link Requests#clientKey})
     */
    AuthRoutes(AuthService auth, RecordService records, ClientIps ips) {
        this.auth = auth;
        this.records = records;
        this.ips = ips;
    }

    /**
     * The login routes, mounted before the identity is resolved: a client still holding an expired token (the
     * PocketBase SDK sends its stored token with every request, the login too) must be able to log in again.
     */
    void mountLogins(Router router, BodyHandler body) {
        router.post("/api/auth/login").handler(body).handler(this::seedLogin);
        router.post("/api/collections/:collection/auth-with-password").handler(body).handler(this::authWithPassword);
    }

    void mount(Router router, BodyHandler body) {
        router.post("/api/collections/:collection/auth-refresh").handler(body).handler(this::authRefresh);
    }

    private void seedLogin(RoutingContext ctx) {
        Map<String, Object> body = Requests.body(ctx);
        Object collection = body.getOrDefault("collection", "users");
        if (!(collection instanceof String)) {
            throw ApiException.invalidField("collection", "validation_invalid_name", "Must be a collection name.");
        }
        String name = collection instanceof String s && Names.valid(s) ? s : "";
        Requests.await(ctx, auth.login(name, body.get("email"), body.get("password"), Requests.clientKey(ctx, ips)), login -> {
            Map<String, Object> record = RecordJson.toMap(login.identity().collection(), login.identity().record(), null);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", login.token());
            out.put("user", record);
            out.put("record", record);
            Responses.ok(ctx, out);
        });
    }

    private void authWithPassword(RoutingContext ctx) {
        String name = Requests.collection(ctx);
        Map<String, Object> body = Requests.body(ctx);
        Requests.await(ctx, auth.login(name, body.get("identity"), body.get("password"), Requests.clientKey(ctx, ips)),
                login -> answer(ctx, login.identity(), login.token()));
    }

    private void authRefresh(RoutingContext ctx) {
        String name = Requests.collection(ctx);
        Identity who = Requests.identity(ctx);
        if (who == null) throw new ApiException(401, "The request requires a valid record authorization token.");
        if (!who.collection().id().equals(auth.authCollection(name).id())) {
            throw new ApiException(403, "The authorized record is not of this collection.");
        }
        answer(ctx, who, auth.token(who));
    }

    /**
     * {@code {token, record}}; with {@code ?expand=} the record's relations are expanded (on a worker) as the
     * signed-in record itself may view them, the way PocketBase's SDK asks for them at sign-in.
     */
    private void answer(RoutingContext ctx, Identity who, String token) {
        String expand = Requests.query(ctx, "expand");
        if (!Expander.requested(expand)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", token);
            out.put("record", RecordJson.toMap(who.collection(), who.record(), null));
            Responses.ok(ctx, out);
            return;
        }
        RequestInfo as = new RequestInfo(who, "GET", Map.of(), Map.of());
        Requests.blocking(ctx, () -> Expander.of(records, who.collection(), expand, Requests.query(ctx, "fields"), as,
                Expander.ANSWER).one(who.record()), bytes -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", token);
            out.put("record", new Json.Raw(bytes));
            Responses.ok(ctx, out);
        });
    }
}
