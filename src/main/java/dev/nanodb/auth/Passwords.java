package dev.nanodb.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.nanodb.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * bcrypt hashing and verification on a small pool of its own, so that a burst of logins (each tens of
 * milliseconds of CPU by design) never occupies an event loop or the store's threads.
 *
 * <p>Invariants: a password is 8 to 72 bytes of UTF-8 — bcrypt ignores what follows byte 72, so a longer one is
 * refused, never silently truncated; verification of an unknown account runs against a dummy hash of the same
 * cost, so an unknown email and a wrong password cost the same time.
 */
public final class Passwords implements AutoCloseable {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_BYTES = 72;
    /** Hashes waiting for a thread; beyond this a request is answered 503 at once instead of queueing for minutes. */
    static final int MAX_QUEUED = 256;
    private static final long DUMMY_DELAY_MS = 2_000;
    private static final BCrypt.Hasher HASHER = BCrypt.with(BCrypt.Version.VERSION_2B,
            LongPasswordStrategies.strict(BCrypt.Version.VERSION_2B));
    private final int cost;
    private final ExecutorService pool;
    private final CompletableFuture<String> dummy;

    public Passwords(int cost) {
        this.cost = cost;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "nanodb-bcrypt");
            t.setDaemon(true);
            return t;
        });
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // computed a moment after start-up, so that its bcrypt run never delays the first answers on a small CPU
        this.dummy = CompletableFuture.supplyAsync(() -> hashNow(java.util.HexFormat.of().formatHex(random)),
                CompletableFuture.delayedExecutor(DUMMY_DELAY_MS, TimeUnit.MILLISECONDS, pool));
    }

    /** 400 naming {@code field} unless {@code value} is an acceptable password. */
    public static String check(String field, Object value) {
        if (!(value instanceof String s) || s.isEmpty()) {
            throw ApiException.invalidField(field, "validation_required", "A password is required.");
        }
        if (s.codePointCount(0, s.length()) < MIN_LENGTH) {
            throw ApiException.invalidField(field, "validation_min_text_constraint",
                    "Must be at least " + MIN_LENGTH + " characters.");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.invalidField(field, "validation_max_text_constraint",
                    "Must be at most " + MAX_BYTES + " bytes (bcrypt's limit); it is not truncated.");
        }
        return s;
    }

    public CompletableFuture<String> hash(String plain) {
        return submit(() -> hashNow(plain));
    }

    /** As {@link #hash(String)} at bcrypt cost {@code cost} (a password field's own); 0 = the server's cost. */
    public CompletableFuture<String> hash(String plain, int cost) {
        if (cost == 0 || cost == this.cost) return hash(plain);
        return submit(() -> new String(HASHER.hash(cost, plain.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }

    private <T> CompletableFuture<T> submit(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ApiException(503, "The server is busy hashing passwords; retry shortly."));
        }
    }

    /**
     * Compares a password with a stored hash; with a null hash (no such account) the comparison runs against
     * the dummy hash and answers false, taking the same time as a real one.
     */
    public CompletableFuture<Boolean> verify(String plain, String hash) {
        String candidate = plain == null ? "" : plain;
        if (hash == null) {
            return dummy.thenCompose(d -> submit(() -> {
                verifyNow(candidate, d);
                return false;
            }));
        }
        return submit(() -> verifyNow(candidate, hash));
    }

    /** Blocking verification, for start-up checks only. */
    public boolean verifyNow(String plain, String hash) {
        byte[] p = plain.getBytes(StandardCharsets.UTF_8);
        if (p.length > MAX_BYTES || hash == null) return false;
        try {
            return BCrypt.verifyer().verify(p, hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String hashNow(String plain) {
        return new String(HASHER.hash(cost, plain.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
