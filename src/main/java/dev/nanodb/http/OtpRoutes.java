package dev.nanodb.http;

import dev.nanodb.accounts.Mfas;
import dev.nanodb.accounts.Otps;
import dev.nanodb.auth.AuthService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;

/**
 * PocketBase's one-time-code sign-in: {@code request-otp} ({@code {email}} → {@code {otpId}}, the same shape whether
 * or not the address has an account) and {@code auth-with-otp} ({@code {otpId, password, mfaId?}} → a sign-in).
 * Mounted before the identity is resolved, like the other sign-ins; both run on workers (bcrypt, store writes).
 */
final class OtpRoutes {
    private final Otps otps;
    private final AuthService auth;
    private final SignIns signIns;

    OtpRoutes(Otps otps, AuthService auth, SignIns signIns) {
        this.otps = otps;
        this.auth = auth;
        this.signIns = signIns;
    }

    void mount(Router router, BodyHandler body) {
        router.post("/api/collections/:collection/request-otp").handler(body).handler(this::request);
        router.post("/api/collections/:collection/auth-with-otp").handler(body).handler(this::authWithOtp);
    }

    private void request(RoutingContext ctx) {
        String collection = Requests.collection(ctx);
        Object email = Requests.body(ctx).get("email");
        Requests.blocking(ctx, () -> otps.request(collection, email), id -> Responses.ok(ctx, Map.of("otpId", id)));
    }

    private void authWithOtp(RoutingContext ctx) {
        String collection = Requests.collection(ctx);
        Map<String, Object> body = Requests.body(ctx);
        Requests.blocking(ctx, () -> {
            var who = otps.authenticate(collection, body.get("otpId"), body.get("password"));
            auth.checkAuthRule(who, null);
            return who;
        }, who -> signIns.complete(ctx, who, Mfas.OTP, body, () -> signIns.answer(ctx, who, auth.token(who))));
    }
}
