package dev.nanodb.accounts.oauth2;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/**
 * A PKCE pair (RFC 7636): the verifier stays with the client until the code exchange, the challenge goes into
 * the authorization URL. The method is always S256; {@code plain} is never produced.
 */
public record Pkce(String verifier, String challenge) {
    public static final String METHOD = "S256";

    /** A fresh pair: 32 random bytes (secure random) as a 43-character base64url verifier, and its challenge. */
    public static Pkce generate() {
        CodeVerifier verifier = new CodeVerifier();
        return new Pkce(verifier.getValue(), challengeOf(verifier.getValue()));
    }

    /** The S256 challenge of {@code verifier}: base64url (no padding) of its SHA-256. */
    public static String challengeOf(String verifier) {
        return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
    }
}
