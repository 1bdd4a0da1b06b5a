package dev.nanodb.accounts.oauth2;

/**
 * The one failure of this package. Its message is fixed text written here (with at most a provider name or an
 * HTTP status), never a provider's response body, a code, a token or a secret, so routes may answer or log it as
 * it is. The cause, when attached, is a transport or JOSE failure, whose messages name no secret either.
 */
public final class OAuth2Exception extends RuntimeException {
    /** What went wrong, for the caller's choice of status and for logs. */
    public enum Reason {
        /** The provider is not known, or its configuration is incomplete. */
        CONFIG,
        /** The provider could not be reached, timed out, or answered too much. */
        UNAVAILABLE,
        /** The provider refused the code exchange (wrong code, verifier or redirect URL). */
        REFUSED,
        /** The provider answered something that is not a valid answer (bad JSON, missing fields, bad status). */
        BAD_RESPONSE,
        /** The ID token failed verification (signature, issuer, audience, time). */
        INVALID_ID_TOKEN
    }

    private final Reason reason;

    public OAuth2Exception(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OAuth2Exception(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
