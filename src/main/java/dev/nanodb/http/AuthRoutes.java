package dev.nanodb.http;

import dev.nanodb.auth.AuthMethods;
import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.OAuth2Starts;
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
 * {@code {token, user, record}}; PocketBase's {@code auth-with-password}, {@code auth-refresh} and
 * {@code impersonate/{id}} answer {@code {token, record}}; {@code auth-methods} lists how to sign in.
 */
final class AuthRoutes {
    /** The longest impersonation token: PocketBase's longest token duration (about three years). */
    private static final long MAX_IMPERSONATION = 94_670_856;
    private final AuthService auth;
    private final RecordService records;
    private final ClientIps ips;
    private final OAuth2Starts oauth2;

    /**
     * @param records expands the answer's record ({@code ?expand=}) as the signed-in record may view it
     * @param ips     what the failed-login limit counts a client as ({@link Requests#clientKey})
     * @param oauth2  the OAuth2 sign-in starts {@code auth-methods} lists
     */
    AuthRoutes(AuthService auth, RecordService records, ClientIps ips, OAuth2Starts oauth2) {
        this.auth = auth;
        this.records = records;
        this.ips = ips;
        this.oauth2 = oauth2;
    }

    /**
     * The login routes, mounted before the identity is resolved: a client still holding an expired token (the
     * PocketBase SDK sends its stored token with every request, the login too) must be able to log in again.
     */
    void mountLogins(Router router, BodyHandler body) {
        router.post("/api/auth/login").handler(body).handler(this::seedLogin);
        router.post("/api/collections/:collection/auth-with-password").handler(body).handler(this::authWithPassword);
        router.get("/api/collections/:collection/auth-methods").handler(this::authMethods);
    }

    void mount(Router router, BodyHandler body) {
        router.post("/api/collections/:collection/auth-refresh").handler(body).handler(this::authRefresh);
        router.post("/api/collections/:collection/impersonate/:id").handler(body).handler(this::impersonate);
    }

    private void authMethods(RoutingContext ctx) {
        Responses.ok(ctx, AuthMethods.of(auth.authCollection(Requests.collection(ctx)), oauth2));
    }

    /** PocketBase's {@code impersonate}: superusers only; {@code duration} in seconds, 0 or absent = the default. */
    private void impersonate(RoutingContext ctx) {
        Identity caller = Requests.requireSuperuser(ctx);
        Object duration = Requests.body(ctx).getOrDefault("duration", 0L);
        if (!(duration instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
                || n.doubleValue() > MAX_IMPERSONATION) {
            throw ApiException.invalidField("duration", "validation_out_of_range",
                    "Must be a whole number of seconds from 0 to " + MAX_IMPERSONATION + ".");
        }
        AuthService.Login login = auth.impersonate(Requests.collection(ctx), ctx.pathParam("id"), n.longValue(), caller);
        answer(ctx, login.identity(), login.token());
    }

    private void seedLogin(RoutingContext ctx) {
        Map<String, Object> body = Requests.body(ctx);
        Object collection = body.getOrDefault("collection", "users");
        if (!(collection instanceof String)) {
            throw ApiException.invalidField("collection", "validation_invalid_name", "Must be a collection name.");
        }
        String name = collection instanceof String s && Names.valid(s) ? s : "";
        Requests.await(ctx, auth.login(name, body.get("email"), null, body.get("password"), Requests.clientKey(ctx, ips)), login -> {
            Map<String, Object> record = RecordJson.toMap(login.identity().collection(), login.identity().record(), null, login.identity());
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
        Requests.await(ctx, auth.login(name, body.get("identity"), body.get("identityField"), body.get("password"), Requests.clientKey(ctx, ips)),
                login -> answer(ctx, login.identity(), login.token()));
    }

    private void authRefresh(RoutingContext ctx) {
        String name = Requests.collection(ctx);
        Identity who = Requests.identity(ctx);
        if (who == null) throw new ApiException(401, "The request requires a valid record authorization token.");
        if (!who.collection().id().equals(auth.authCollection(name).id())) {
            throw new ApiException(403, "The authorized record is not of this collection.");
        }
        answer(ctx, who, auth.refresh(who, ctx.request().getHeader("Authorization")));
    }

    /**
     * {@code {token, record}}; with {@code ?expand=} the record's relations are expanded (on a worker) as the
     * signed-in record itself may view them, the way PocketBase's SDK asks for them at sign-in.
     */
    private void answer(RoutingContext ctx, Identity who, String token) {
        answer(ctx, who, token, "password", null);
    }

    /**
     * The sign-in answer of every method (PocketBase's {@code RecordAuthResponse}): {@code {token, record}} plus
     * {@code meta} when not null; {@code method} names the sign-in method ({@code password}, {@code oauth2}) for
     * what depends on it (MFA).
     */
    void answer(RoutingContext ctx, Identity who, String token, String method, Map<String, Object> meta) {
        String expand = Requests.query(ctx, "expand");
        if (!Expander.requested(expand)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", token);
            out.put("record", RecordJson.toMap(who.collection(), who.record(), null, who));
            if (meta != null) out.put("meta", meta);
            Responses.ok(ctx, out);
            return;
        }
        RequestInfo as = new RequestInfo(who, "GET", Map.of(), Map.of());
        Requests.blocking(ctx, () -> Expander.of(records, who.collection(), expand, Requests.query(ctx, "fields"), as,
                Expander.ANSWER).one(who.record()), bytes -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("token", token);
            out.put("record", new Json.Raw(bytes));
            if (meta != null) out.put("meta", meta);
            Responses.ok(ctx, out);
        });
    }
}
