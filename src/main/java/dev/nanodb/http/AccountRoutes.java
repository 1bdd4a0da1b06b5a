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
 * Each runs on a worker: it reads the store (an account by address, the settings), which on PostgreSQL is a round
 * trip no event loop may wait for.
 */
final class AccountRoutes {
    private final AccountFlows flows;

    AccountRoutes(AccountFlows flows) {
        this.flows = flows;
    }

    void mountPublic(Router router, BodyHandler body) {
        String base = "/api/collections/:collection/";
        router.post(base + "request-verification").handler(body).handler(ctx -> {
            String collection = Requests.collection(ctx);
            Object email = Requests.body(ctx).get("email");
            onWorker(ctx, () -> flows.requestVerification(collection, email));
        });
        router.post(base + "confirm-verification").handler(body).handler(ctx -> {
            String collection = Requests.collection(ctx);
            Object token = Requests.body(ctx).get("token");
            Requests.blocking(ctx, () -> flows.confirmVerification(collection, token), done -> Requests.await(ctx, done, v -> noContent(ctx)));
        });
        router.post(base + "request-password-reset").handler(body).handler(ctx -> {
            String collection = Requests.collection(ctx);
            Object email = Requests.body(ctx).get("email");
            onWorker(ctx, () -> flows.requestPasswordReset(collection, email));
        });
        router.post(base + "confirm-password-reset").handler(body).handler(this::confirmPasswordReset);
        router.post(base + "confirm-email-change").handler(body).handler(ctx -> {
            String collection = Requests.collection(ctx);
            Map<String, Object> b = Requests.body(ctx);
            Requests.blocking(ctx, () -> flows.confirmEmailChange(collection, b.get("token"), b.get("password")),
                    done -> Requests.await(ctx, done, v -> noContent(ctx)));
        });
    }

    void mount(Router router, BodyHandler body) {
        router.post("/api/collections/:collection/request-email-change").handler(body).handler(ctx -> {
            String collection = Requests.collection(ctx);
            var who = Requests.identity(ctx);
            Object newEmail = Requests.body(ctx).get("newEmail");
            onWorker(ctx, () -> flows.requestEmailChange(collection, who, newEmail));
        });
    }

    private void confirmPasswordReset(RoutingContext ctx) {
        String collection = Requests.collection(ctx);
        Map<String, Object> b = Requests.body(ctx);
        Requests.blocking(ctx, () -> flows.confirmPasswordReset(collection, b.get("token"), b.get("password"), b.get("passwordConfirm")),
                done -> Requests.await(ctx, done, v -> noContent(ctx)));
    }

    /** Runs a request's work on a worker, then answers 204. */
    private static void onWorker(RoutingContext ctx, Runnable work) {
        Requests.blocking(ctx, () -> {
            work.run();
            return Boolean.TRUE;
        }, v -> noContent(ctx));
    }

    private static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }
}
