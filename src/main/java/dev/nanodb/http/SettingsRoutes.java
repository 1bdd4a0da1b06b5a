package dev.nanodb.http;

import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Superusers;
import dev.nanodb.store.Store;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/settings/warnings} (superusers): the two start-up warnings as data, so the dashboard can show
 * them to the operator who can fix them instead of only to whoever reads the log. The default-password check
 * costs one bcrypt per superuser, so it runs on a worker thread and only when asked.
 */
final class SettingsRoutes {
    private final Store store;
    private final Passwords passwords;
    private final boolean generatedSecret;

    /** @param generatedSecret true when {@code JWT_SECRET} is unset and the server signs with a generated secret */
    SettingsRoutes(Store store, Passwords passwords, boolean generatedSecret) {
        this.store = store;
        this.passwords = passwords;
        this.generatedSecret = generatedSecret;
    }

    void mount(Router router) {
        router.get("/api/settings/warnings").handler(this::warnings);
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
