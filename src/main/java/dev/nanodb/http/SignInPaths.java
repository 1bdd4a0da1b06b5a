package dev.nanodb.http;

import io.vertx.ext.web.Route;
import java.util.List;
import java.util.Set;

/**
 * The sign-in routes: the only {@code /api} routes that never read the {@code Authorization} header, so that a
 * stale or invalid token kept by a client can never keep anyone from signing in, confirming an email or resetting
 * a password. The identity handler skips exactly these paths.
 *
 * <p>Why a list instead of route order: Vert.x tries routes one after another, matching a regular expression for
 * each path with a parameter, so the hot record, file and batch routes are mounted first, before the sign-in
 * routes, and the identity handler that precedes them all must know which paths to leave alone.
 * {@link #check} verifies at start-up that every route mounted as a sign-in route is on this list.
 */
final class SignInPaths {
    private static final Set<String> EXACT = Set.of("/api/auth/login", "/api/oauth2-redirect");
    /** The last segment of {@code /api/collections/{collection}/{action}}. */
    private static final Set<String> ACTIONS = Set.of("auth-with-password", "auth-methods", "auth-with-oauth2",
            "request-verification", "confirm-verification", "request-password-reset", "confirm-password-reset",
            "confirm-email-change", "request-otp", "auth-with-otp");
    private static final String COLLECTIONS = "/api/collections/";

    private SignInPaths() {}

    /** Whether {@code path} (a request's normalised path) is a sign-in route's. */
    static boolean matches(String path) {
        if (EXACT.contains(path)) return true;
        if (!path.startsWith(COLLECTIONS)) return false;
        int slash = path.indexOf('/', COLLECTIONS.length());
        return slash > COLLECTIONS.length() && path.indexOf('/', slash + 1) < 0 && ACTIONS.contains(path.substring(slash + 1));
    }

    /** Fails the start when a route mounted as a sign-in route is not on the list (it would see the header). */
    static void check(List<Route> mounted) {
        for (Route r : mounted) {
            String path = r.getPath() == null ? null : r.getPath().replace(":collection", "c");
            if (path == null || !matches(path)) {
                throw new IllegalStateException("the sign-in route " + r.getPath() + " is missing from SignInPaths");
            }
        }
    }
}
