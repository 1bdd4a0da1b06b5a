package dev.nanodb.testing;

import dev.nanodb.auth.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An account-flow token ({@code passwordReset}, …) for a record of a test server, signed with that server's own
 * generated secret, as a mail would carry it: for tests that need a token without reading a mailbox, or one that
 * no mail would carry (expired, for another address).
 */
public final class FlowTokens {
    private FlowTokens() {}

    public static String issue(TestServer s, String type, String collection, String id, Duration lifetime, Map<String, String> claims) {
        byte[] secret = s.store().sharedSecret("jwt", () -> "unused").getBytes(StandardCharsets.US_ASCII);
        return new Tokens(secret, Duration.ofDays(1)).issueFor(type, s.store().collection(collection).orElseThrow(),
                s.store().get(collection, id).orElseThrow(), lifetime, claims);
    }

    /** A 5-minute password-reset token of the record {@code id} of {@code users} for its current e-mail. */
    public static String reset(TestServer s, String id) {
        String email = String.valueOf(s.store().get("users", id).orElseThrow().data().get("email"));
        return issue(s, "passwordReset", "users", id, Duration.ofMinutes(5), Map.of("email", email));
    }
}
