package dev.nanodb.records;

import dev.nanodb.auth.Passwords;
import dev.nanodb.error.ApiException;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Password fields other than an auth collection's own {@code password} ({@link AuthRecords} keeps that one): a plain
 * value in a body is checked against the field's {@code min}, {@code max} (71 characters when not set, PocketBase's)
 * and {@code pattern}, and never more than bcrypt's 72 bytes (refused, never truncated), then hashed on the bcrypt
 * pool at the field's {@code cost} before the write transaction; only the hash is stored. {@code ""} or null clears
 * the field; a body without the field keeps the stored hash. The field is always hidden, so the hash leaves the
 * server in no answer ({@link RecordJson}).
 */
final class PasswordFields {
    private static final int DEFAULT_MAX = 71;

    private PasswordFields() {}

    /**
     * Removes the plain values of {@code c}'s password fields from {@code body} (checked: a 400 names the field) and
     * answers their hashes by field name, {@code ""} for a cleared one.
     */
    static CompletableFuture<Map<String, Object>> take(Passwords passwords, CollectionDef c, Map<String, Object> body) {
        Map<String, Object> hashes = new LinkedHashMap<>();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (FieldDef f : c.fields()) {
            if (f.type() != FieldType.PASSWORD || c.isAuth() && f.name().equals("password") || !body.containsKey(f.name())) continue;
            String plain = check(f, body.remove(f.name()));
            if (plain.isEmpty()) {
                hashes.put(f.name(), "");
                continue;
            }
            all = all.thenCombine(passwords.hash(plain, f.cost()), (v, hash) -> {
                synchronized (hashes) {
                    hashes.put(f.name(), hash);
                }
                return null;
            });
        }
        return all.thenApply(v -> hashes);
    }

    private static String check(FieldDef f, Object v) {
        if (v == null) return "";
        if (!(v instanceof String s)) throw ApiException.invalidField(f.name(), "validation_invalid_string", "Must be a string.");
        if (s.isEmpty()) return s;
        int length = s.codePointCount(0, s.length());
        if (f.min() != null && length < f.min()) {
            throw ApiException.invalidField(f.name(), "validation_min_text_constraint", "Must be at least " + f.min().intValue() + " character(s).");
        }
        int max = f.max() == null || f.max() <= 0 ? DEFAULT_MAX : f.max().intValue();
        if (length > max) {
            throw ApiException.invalidField(f.name(), "validation_max_text_constraint", "Must be at most " + max + " character(s).");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
            throw ApiException.invalidField(f.name(), "validation_max_text_constraint",
                    "Must be at most " + Passwords.MAX_BYTES + " bytes (bcrypt's limit); it is not truncated.");
        }
        if (f.pattern() != null && !f.pattern().isEmpty() && !Pattern.compile(f.pattern()).matcher(s).matches()) {
            throw ApiException.invalidField(f.name(), "validation_invalid_format", "Does not match the required format.");
        }
        return s;
    }
}
