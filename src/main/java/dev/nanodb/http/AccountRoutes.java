package dev.nanodb.http;

import dev.nanodb.accounts.AccountFlows;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;

/**
 * PocketBase's account routes: {@code request-verification}, {@code confirm-verification},
 * {@code request-password-reset}, {@code confirm-password-reset}, {@code request-email-change},
 * {@code confirm-email-change}; each answers 204 on success. A request answers 204 whether or not an account has
 * the address. Every route but {@code request-email-change} is mounted before the identity is resolved: a client
 * still holding a stale token (the PocketBase SDK sends its stored token with every request) can confirm a reset.
 */
final class AccountRoutes {
    private final AccountFlows flows;

    AccountRoutes(AccountFlows flows) {
        this.flows = flows;
    }

    void mountPublic(Router router, BodyHandler body) {
        String base = "/api/collections/:collection/";
        router.post(base + "request-verification").handler(body).handler(ctx -> {
            flows.requestVerification(Requests.collection(ctx), Requests.body(ctx).get("email"));
            noContent(ctx);
        });
        router.post(base + "confirm-verification").handler(body).handler(ctx ->
                Requests.await(ctx, flows.confirmVerification(Requests.collection(ctx), Requests.body(ctx).get("token")), v -> noContent(ctx)));
        router.post(base + "request-password-reset").handler(body).handler(ctx -> {
            flows.requestPasswordReset(Requests.collection(ctx), Requests.body(ctx).get("email"));
            noContent(ctx);
        });
        router.post(base + "confirm-password-reset").handler(body).handler(this::confirmPasswordReset);
        router.post(base + "confirm-email-change").handler(body).handler(ctx -> {
            Map<String, Object> b = Requests.body(ctx);
            Requests.await(ctx, flows.confirmEmailChange(Requests.collection(ctx), b.get("token"), b.get("password")), v -> noContent(ctx));
        });
    }

    void mount(Router router, BodyHandler body) {
        router.post("/api/collections/:collection/request-email-change").handler(body).handler(ctx -> {
            flows.requestEmailChange(Requests.collection(ctx), Requests.identity(ctx), Requests.body(ctx).get("newEmail"));
            noContent(ctx);
        });
    }

    private void confirmPasswordReset(RoutingContext ctx) {
        Map<String, Object> b = Requests.body(ctx);
        Requests.await(ctx, flows.confirmPasswordReset(Requests.collection(ctx), b.get("token"), b.get("password"),
                b.get("passwordConfirm")), v -> noContent(ctx));
    }

    private static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }
}
