package dev.nanodb.http;

import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Superusers;
import dev.nanodb.error.ApiException;
import dev.nanodb.mail.Outbox;
import dev.nanodb.settings.SettingsService;
import dev.nanodb.settings.TestMail;
import dev.nanodb.store.Store;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The settings, superusers only: {@code GET/PATCH /api/settings} (PocketBase's shape, no secret ever answered),
 * {@code POST /api/settings/test/email}, and {@code GET /api/settings/warnings} — the two start-up warnings as data,
 * so the dashboard can show them to the operator who can fix them. Reads and writes of the settings and the
 * default-password check (one bcrypt per superuser) run on worker threads.
 */
final class SettingsRoutes {
    /** How long a test e-mail may take before the operator is told it failed (the SMTP client's own timeouts are shorter). */
    private static final long TEST_MAIL_SECONDS = 60;
    private final Store store;
    private final Passwords passwords;
    private final boolean generatedSecret;
    private final SettingsService settings;
    private final Outbox outbox;

    /** @param generatedSecret true when {@code JWT_SECRET} is unset and the server signs with a generated secret */
    SettingsRoutes(Store store, Passwords passwords, boolean generatedSecret, SettingsService settings, Outbox outbox) {
        this.store = store;
        this.passwords = passwords;
        this.generatedSecret = generatedSecret;
        this.settings = settings;
        this.outbox = outbox;
    }

    void mount(Router router, BodyHandler body) {
        router.get("/api/settings/warnings").handler(this::warnings);
        router.get("/api/settings").handler(this::list);
        router.patch("/api/settings").handler(body).handler(this::update);
        router.post("/api/settings/test/email").handler(body).handler(this::testEmail);
    }

    private void list(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        Requests.blocking(ctx, () -> settings.wire(settings.current()), out -> Responses.ok(ctx, out));
    }

    private void update(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        Map<String, Object> body = Requests.body(ctx);
        Requests.blocking(ctx, () -> settings.wire(settings.update(body)), out -> Responses.ok(ctx, out));
    }

    /**
     * Sends one message of a template at once and answers when the SMTP server accepted it (204) or refused it (400,
     * with the server's reason for the operator who asked); the request waits on a worker, never on the event loop.
     */
    private void testEmail(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        Map<String, Object> body = Requests.body(ctx);
        Requests.blocking(ctx, () -> {
            var mail = TestMail.compose(settings, body);
            try {
                outbox.sendNow(mail).get(TEST_MAIL_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new ApiException(400, "Failed to send the test email: " + TestMail.reason(cause));
            }
            return Boolean.TRUE;
        }, sent -> ctx.response().setStatusCode(204).end());
    }

    private void warnings(RoutingContext ctx) {
        Requests.requireSuperuser(ctx);
        Requests.blocking(ctx, () -> Superusers.defaultPasswordInUse(store, passwords), defaultPassword -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("defaultPassword", defaultPassword);
            out.put("generatedSecret", generatedSecret);
            Responses.ok(ctx, out);
        });
    }
}
