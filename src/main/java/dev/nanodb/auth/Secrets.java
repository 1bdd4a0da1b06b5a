package dev.nanodb.auth;

import dev.nanodb.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's token secret: {@code JWT_SECRET} when set, otherwise one generated on first start (48 random bytes)
 * and kept in the store ({@link Store#sharedSecret}), so tokens survive restarts and every node sharing a
 * PostgreSQL database signs and verifies with the same secret. The secret is never logged.
 *
 * <p>Compatibility: earlier versions kept the generated secret in {@code DB_PATH/jwt.secret}. A data folder that
 * still holds one (at least 32 characters) has it imported as the store's secret on first start, so its tokens
 * stay valid; the file is left in place and no longer written.
 */
public final class Secrets {
    static final String FILE = "jwt.secret";
    /** The name of the token secret among the store's shared secrets. */
    static final String NAME = "jwt";

    private Secrets() {}

    public static byte[] serverSecret(String configured, Path dataFolder, Store store) {
        if (configured != null) return configured.getBytes(StandardCharsets.UTF_8);
        String legacy = legacyFile(dataFolder);
        return store.sharedSecret(NAME, () -> legacy != null ? legacy : generate()).getBytes(StandardCharsets.US_ASCII);
    }

    private static String legacyFile(Path dataFolder) {
        Path file = dataFolder.resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) return null;
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.length() >= 32 ? text : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token secret in " + file, e);
        }
    }

    private static String generate() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
