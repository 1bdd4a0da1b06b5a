package dev.nanodb.http;

import dev.nanodb.accounts.Mfas;
import dev.nanodb.accounts.OAuth2SignIn;
import dev.nanodb.auth.AuthService;
import dev.nanodb.error.ApiException;
import dev.nanodb.json.Json;
import dev.nanodb.ratelimit.ClientIps;
import dev.nanodb.realtime.RealtimeHub;
import dev.nanodb.rules.Identity;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth2 sign-in (PocketBase's routes):
 * <ul>
 *   <li>{@code POST /api/collections/{c}/auth-with-oauth2 {provider, code, codeVerifier, redirectURL, createData}}
 *       answers {@code {token, record, meta}} through {@link SignIns} (the one sign-in answer, where MFA
 *       plugs in) with the method {@code oauth2}. The caller's token, when valid, is the record to link; an invalid
 *       one is ignored (the route signs in, as the other sign-in routes do).</li>
 *   <li>{@code GET|POST /api/oauth2-redirect} is where the provider sends the browser back in the SDK's all-in-one
 *       flow: {@code state} is the realtime client id; that client (if subscribed to {@code @oauth2}, connected
 *       from the same client address) gets {@code {state, code, error}} once, and the browser a small page saying
 *       it may close the window (PocketBase redirects to its dashboard's pages, which NanoDB's dashboard lacks).</li>
 * </ul>
 */
final class OAuth2Routes {
    private static final String DONE = "Auth completed. You can close this window and go back to the app.";
    private static final String FAILED = "Failed to authenticate. You can close this window and go back to the app to try again.";
    private final OAuth2SignIn signIn;
    private final SignIns signIns;
    private final AuthService auth;
    private final RealtimeHub hub;
    private final ClientIps ips;

    /** What the routes use: the sign-in, the common answer, token checks, the realtime hub, client addresses. */
    record Parts(OAuth2SignIn signIn, SignIns signIns, AuthService auth, RealtimeHub hub, ClientIps ips) {}

    OAuth2Routes(Parts parts) {
        this.signIn = parts.signIn();
        this.signIns = parts.signIns();
        this.auth = parts.auth();
        this.hub = parts.hub();
        this.ips = parts.ips();
    }

    /** Mounted before the identity is resolved (see the class comment). */
    void mount(Router router, BodyHandler body) {
        router.post("/api/collections/:collection/auth-with-oauth2").handler(body).handler(this::authWithOAuth2);
        router.get("/api/oauth2-redirect").handler(this::redirect);
        router.post("/api/oauth2-redirect").handler(body).handler(this::redirect);
    }

    private void authWithOAuth2(RoutingContext ctx) {
        Map<String, Object> body = Requests.body(ctx);
        OAuth2SignIn.Form form = signIn.form(Requests.collection(ctx), body);
        Identity caller = callerOrNull(ctx);
        Requests.blocking(ctx, () -> signIn.complete(form, signIn.exchange(form), caller),
                done -> Requests.await(ctx, done, r -> signIns.complete(ctx, r.identity(), Mfas.OAUTH2, body,
                        () -> signIns.answer(ctx, r.identity(), r.token(), r.meta()))));
    }

    private Identity callerOrNull(RoutingContext ctx) {
        try {
            return auth.identify(ctx.request().getHeader("Authorization"));
        } catch (ApiException invalid) {
            return null;
        }
    }

    private void redirect(RoutingContext ctx) {
        String state = param(ctx, "state"), code = param(ctx, "code"), error = param(ctx, "error");
        boolean sent = false;
        if (!state.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("state", state);
            data.put("code", code);
            if (!error.isEmpty()) data.put("error", error);
            sent = hub.deliverOnce(state, RealtimeHub.OAUTH2, Requests.clientKey(ctx, ips), Json.write(data));
        }
        boolean ok = sent && error.isEmpty() && !code.isEmpty();
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("Content-Security-Policy", "default-src 'none'")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Content-Type-Options", "nosniff")
                .end("<!doctype html><meta charset=\"utf-8\"><title>Sign-in</title><p>" + (ok ? DONE : FAILED) + "</p>");
    }

    /** A query or form parameter (the provider may post the answer: Apple's {@code form_post}); "" when absent. */
    private static String param(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.length() > 4096 ? "" : v;
    }
}
