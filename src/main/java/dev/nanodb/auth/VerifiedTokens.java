package dev.nanodb.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature has been verified, so that a client sending the same token again skips the JWT parse
 * and the HMAC (measured: about 9 µs of the 22 µs a view by id with a token cost on one core).
 *
 * <p>What is kept can never go stale: a signature check is a pure function of the token and the key it was
 * checked with, and the entry records that key's {@code tokenKey}. Everything that can change — the expiry, the
 * record's existence, its current {@code tokenKey} — is checked against the store on every request by
 * {@link AuthService}. At most {@link #CAPACITY} entries are kept; when full the table starts over.
 */
final class VerifiedTokens {
    static final int CAPACITY = 4096;
    private final ConcurrentHashMap<String, Entry> byToken = new ConcurrentHashMap<>();

    /** @param tokenKey the record's token key the signature was verified with */
    record Entry(String id, String collectionId, long expiresAt, String tokenKey) {}

    Entry get(String token) {
        return byToken.get(token);
    }

    void put(String token, Entry e) {
        if (e.tokenKey() == null) return;
        if (byToken.size() >= CAPACITY) byToken.clear();
        byToken.put(token, e);
    }

    void remove(String token) {
        byToken.remove(token);
    }
}
