package dev.nanodb.records;

import dev.nanodb.auth.AuthService;
import dev.nanodb.auth.Passwords;
import dev.nanodb.auth.Tokens;
import dev.nanodb.schema.AuthFields;
import dev.nanodb.error.ApiException;
import dev.nanodb.store.Record;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What is special about records of auth collections: the password arrives in plain text with
 * {@code passwordConfirm} and is stored only as a bcrypt hash, hashed on the bcrypt pool before the write
 * transaction; a password change by the account itself needs {@code oldPassword}, and every password change
 * rotates {@code tokenKey}, which revokes every token issued before. Emails are stored in lower case.
 */
final class AuthRecords {
    private AuthRecords() {}

    /** A verified password change to apply in the write transaction, if the stored hash is still {@code oldHash}. */
    record PasswordChange(String oldHash, String newHash, String tokenKey) {}

    /** The create body with the password replaced by its hash and a token key added. */
    static CompletableFuture<Map<String, Object>> prepareCreate(Passwords passwords, Map<String, Object> body) {
        normalizeEmail(body);
        String password = Passwords.check("password", body.remove("password"));
        confirm(password, body.remove("passwordConfirm"));
        body.remove("oldPassword");
        body.putIfAbsent("verified", false);
        body.putIfAbsent(AuthFields.EMAIL_VISIBILITY, false);
        return passwords.hash(password).thenApply(hash -> {
            body.put("password", hash);
            body.put("tokenKey", Tokens.newTokenKey());
            return body;
        });
    }

    static boolean changesPassword(Map<String, Object> body) {
        return body.containsKey("password") || body.containsKey("passwordConfirm") || body.containsKey("oldPassword");
    }

    /**
     * Checks and hashes a password change. {@code current} must already have passed the update rule, so that the
     * {@code oldPassword} answer is never an oracle on someone else's password. The password keys are removed
     * from {@code body}.
     *
     * @param manager the caller is a superuser or matches the collection's {@code manageRule}: no old password
     */
    static CompletableFuture<PasswordChange> prepareChange(Passwords passwords, Record current, Map<String, Object> body,
                                                          boolean manager) {
        String password = Passwords.check("password", body.remove("password"));
        confirm(password, body.remove("passwordConfirm"));
        Object old = body.remove("oldPassword");
        String oldHash = (String) current.data().get("password");
        CompletableFuture<Boolean> allowed = manager ? CompletableFuture.completedFuture(true)
                : passwords.verify(old instanceof String s ? s : "", oldHash);
        return allowed.thenCompose(ok -> {
            if (!ok) {
                throw ApiException.invalidField("oldPassword", "validation_invalid_old_password",
                        "Missing or invalid old password.");
            }
            return passwords.hash(password).thenApply(h -> new PasswordChange(oldHash, h, Tokens.newTokenKey()));
        });
    }

    /** Applies a checked change inside the write transaction; 409 if the password changed meanwhile. */
    static void apply(PasswordChange change, Record current, Map<String, Object> merged) {
        if (!java.util.Objects.equals(change.oldHash(), current.data().get("password"))) {
            throw new ApiException(409, "The password was changed meanwhile; try again.");
        }
        merged.put("password", change.newHash());
        merged.put("tokenKey", change.tokenKey());
    }

    /** A user who changes its own email is no longer verified: the new address was never confirmed. */
    static void unverifyOnEmailChange(Record current, Map<String, Object> merged) {
        if (!java.util.Objects.equals(current.data().get("email"), merged.get("email"))) merged.put("verified", false);
    }

    static void normalizeEmail(Map<String, Object> body) {
        if (body.get("email") instanceof String e) body.put("email", AuthService.normalizeEmail(e));
    }

    private static void confirm(String password, Object confirm) {
        if (!password.equals(confirm)) {
            throw ApiException.invalidField("passwordConfirm", "validation_values_mismatch", "Values don't match.");
        }
    }
}
