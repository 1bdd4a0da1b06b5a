package dev.nanodb.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's token secret: {@code JWT_SECRET} when set, otherwise 48 random bytes generated on first start and
 * kept in the data folder ({@code jwt.secret}, readable by the owner only) so tokens survive restarts. The secret
 * is never logged.
 */
public final class Secrets {
    static final String FILE = "jwt.secret";

    private Secrets() {}

    public static byte[] serverSecret(String configured, Path dataFolder) {
        if (configured != null) return configured.getBytes(StandardCharsets.UTF_8);
        Path file = dataFolder.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (text.length() >= 32) return text.getBytes(StandardCharsets.US_ASCII);
            }
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(dataFolder);
            Path tmp = Files.createTempFile(dataFolder, FILE, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect the file
            }
            Files.writeString(tmp, text + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return text.getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token secret in " + file, e);
        }
    }
}
