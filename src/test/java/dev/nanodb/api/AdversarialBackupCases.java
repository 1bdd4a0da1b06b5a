package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.Archives;
import dev.nanodb.testing.Multipart.Part;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipOutputStream;

/**
 * The crons and the backup upload and download as an attacker uses them: every new route refuses anyone but a
 * superuser (an upload before its body is read), a user's file token never opens a backup, a key never leaves the
 * backups folder, and a hostile archive uploaded — even with a superuser's token, as a stolen one would be — is
 * refused and keeps nothing.
 */
final class AdversarialBackupCases {
    private AdversarialBackupCases() {}

    private static final Attack.Who SUPERUSER = w -> w.server.superuserToken();
    private static final String SWEEP = "/api/crons/__nanodbFilesSweep__";

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(http(RULES, "bob lists the crons", BOB, "GET", "/api/crons", null, 403));
        c.add(http(RULES, "bob runs a cron job", BOB, "POST", SWEEP, null, 403));
        c.add(http(RULES, "an anonymous cron run", ANON, "POST", SWEEP, null, 401));
        c.add(attack(RULES, "bob uploads a backup", 403,
                s -> s.multipart(BOB, "POST", "/api/backups/upload", "{}", new Part("file", "mine.zip", backupLike()))));
        c.add(attack(RULES, "an anonymous backup upload", 401,
                s -> s.multipart(ANON, "POST", "/api/backups/upload", "{}", new Part("file", "mine.zip", backupLike()))));
        c.add(http(RULES, "a backup download with bob's file token", ANON, "GET", "/api/backups/any.zip?token={bobFileToken}", null, 403)
                .given(w -> w.ids.put("bobFileToken", fileToken(w, w.bobToken))));
        c.add(attack(RULES, "a backup key that climbs out of the folder", 404, s -> {
            s.send(ANON, "GET", "/api/backups/..%2Fdata.mdb?token={superuserFileToken}", null);
            assertThat(s.send(SUPERUSER, "GET", "/api/backups/..%2F..%2Fjwt.secret", null).status()).isEqualTo(404);
            assertThat(s.send(SUPERUSER, "DELETE", "/api/backups/..%2Fdata.mdb", null).status()).isEqualTo(404);
            assertThat(s.send(SUPERUSER, "POST", "/api/backups/..%2Fdata.mdb/restore", null).status()).isEqualTo(404);
        }).given(w -> w.ids.put("superuserFileToken", fileToken(w, w.server.superuserToken()))));
        c.add(attack(RULES, "a superuser token uploads an archive with ../ entries", 400,
                s -> s.multipart(SUPERUSER, "POST", "/api/backups/upload", "{}", new Part("file", "evil.zip", traversal())))
                .then(s -> assertThat(s.send(SUPERUSER, "GET", "/api/backups", null).body()).isEqualTo("[]")));
        c.add(attack(RULES, "a superuser token uploads a zip bomb", 400,
                s -> s.multipart(SUPERUSER, "POST", "/api/backups/upload", "{}", new Part("file", "bomb.zip", bomb())))
                .then(s -> assertThat(s.send(SUPERUSER, "GET", "/api/backups", null).body()).isEqualTo("[]")));
        c.add(attack(RULES, "a backup upload named to climb out of the folder", 400,
                s -> s.multipart(SUPERUSER, "POST", "/api/backups/upload", "{}", new Part("file", "../../x.zip", backupLike())))
                .then(s -> assertThat(s.first().body()).contains("validation_invalid_backup_name")));
        c.add(attack(RULES, "cron runs one after another", 204, s -> {
            for (int i = 0; i < 20; i++) s.send(SUPERUSER, "POST", SWEEP, null);
        }));
        return c;
    }

    private static String fileToken(AdversarialWorld w, String authToken) {
        return AdversarialTest.json(w.server.send("POST", "/api/files/token", null, "Authorization", authToken).body()).path("token").asText();
    }

    private static byte[] backupLike() {
        return zip(Map.of("data.mdb", new byte[] {1, 2, 3}));
    }

    private static byte[] traversal() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.mdb", new byte[] {1});
        entries.put("storage/../../../../tmp/pwned.txt", new byte[] {2});
        return zip(entries);
    }

    /** 64 MiB of zeros as the store's data: some 64 KiB sent. */
    private static byte[] bomb() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            Archives.zeros(out, "data.mdb", 64L << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        try {
            return Archives.zip(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
