package dev.nanodb.backups;

import dev.nanodb.error.ApiException;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Snapshots;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backups of the whole store as files in one folder ({@code DB_PATH/backups}), for the API and the command line.
 *
 * <p>Invariants: a backup's key is also its file name and always matches {@link #NAME} (so no key can reach
 * outside the folder); a file appears under a key only when complete ({@link Snapshots#snapshot}); at most one
 * backup or restore runs at a time in this process — a second one is refused, not queued, so an administrator
 * never waits without knowing why. A store without the {@link Snapshots} capability (PostgreSQL) refuses every
 * operation with {@link #POSTGRES}.
 */
public final class BackupService {
    /** Backup names: PocketBase's rule ({@code [a-z0-9_-]+}) with LMDB's data-file extension. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9_-]+\\.mdb");
    public static final int MAX_NAME = 150;
    public static final String BUSY = "Try again later - another backup/restore operation has already been started.";
    public static final String POSTGRES = "Backups of a PostgreSQL-backed NanoDB are taken with the database's own "
            + "tools (pg_dump / pg_basebackup / point-in-time recovery); see docs/API.md#backups";
    /** UTC times in generated names, digits only as in PocketBase's ({@code T}/{@code Z} would break {@link #NAME}). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP_MS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final Store store;
    private final Path folder;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** One backup file as listed: its key (file name), size in bytes and last modification. */
    public record Backup(String key, long size, Instant modified) {}

    public BackupService(Store store, Path folder) {
        this.store = store;
        this.folder = folder;
    }

    /** The backups folder of a data folder. */
    public static Path folderOf(Path dataDir) {
        return dataDir.resolve("backups");
    }

    /** Every backup, newest first. */
    public List<Backup> list() {
        snapshots();
        if (!Files.isDirectory(folder)) return List.of();
        List<Backup> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String key = f.getFileName().toString();
                if (!NAME.matcher(key).matches() || !Files.isRegularFile(f)) continue;
                out.add(new Backup(key, Files.size(f), Files.getLastModifiedTime(f).toInstant()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(Backup::modified).thenComparing(Backup::key).reversed());
        return out;
    }

    /**
     * Takes a snapshot of the live store while it keeps serving, under {@code name} (null: a name from the current
     * time). Returns when the file is complete.
     *
     * @return the new backup's key
     */
    public String create(String name) {
        Snapshots snapshots = snapshots();
        String key = name == null ? freeName("nanodb_backup_", STAMP) : validName(name);
        if (Files.exists(folder.resolve(key))) {
            throw ApiException.invalidField("name", "validation_backup_exists", "A backup with this name already exists.");
        }
        exclusively(() -> {
            try (Operations.Operation op = store.operations().start("backup", "backup " + key, 0)) {
                createFolder();
                run(op, () -> snapshots.snapshot(folder.resolve(key), op));
            }
        });
        return key;
    }

    /** The file of an existing backup; 404 when there is none under this key. */
    public Path file(String key) {
        snapshots();
        Path f = NAME.matcher(key).matches() && key.length() <= MAX_NAME ? folder.resolve(key) : null;
        if (f == null || !Files.isRegularFile(f)) throw ApiException.notFound("The requested backup wasn't found.");
        return f;
    }

    public void delete(String key) {
        Path f = file(key);
        try {
            Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the live data with a backup after verifying it (a damaged or foreign file is a 400 and changes
     * nothing). The data live before is kept first as a new backup, whose key is returned.
     */
    public String restore(String key) {
        return restore(file(key), key);
    }

    /** As {@link #restore(String)} for any file (the command line restores a path); {@code label} names it. */
    public String restore(Path file, String label) {
        Snapshots snapshots = snapshots();
        String key = label;
        String previous = freeName("nanodb_pre_restore_", STAMP_MS);
        exclusively(() -> {
            try (Operations.Operation op = store.operations().start("restore", "restore " + key, 0)) {
                run(op, () -> snapshots.restore(file, folder.resolve(previous), op));
            } catch (StoreException.InvalidValue e) {
                throw new ApiException(400, "The backup " + key + " cannot be restored: " + e.getMessage(),
                        Map.of("key", ApiException.fieldError("validation_invalid_backup", e.getMessage())));
            }
        });
        return previous;
    }

    private Snapshots snapshots() {
        if (store instanceof Snapshots s) return s;
        throw new ApiException(400, POSTGRES);
    }

    /** Runs the work unless another backup or restore is running (then 400 {@link #BUSY}). */
    private void exclusively(Runnable work) {
        if (!busy.compareAndSet(false, true)) throw new ApiException(400, BUSY);
        try {
            work.run();
        } finally {
            busy.set(false);
        }
    }

    /** Runs an operation's work, marking the operation failed (with a message safe to show) if it throws. */
    private static void run(Operations.Operation op, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            op.fail(e instanceof ApiException || e instanceof StoreException ? e.getMessage() : "failed");
            throw e;
        }
    }

    private void createFolder() {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String validName(String name) {
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw ApiException.invalidField("name", "validation_invalid_backup_name", "Backup names are at most "
                    + MAX_NAME + " characters of a-z, 0-9, _ and -, ending in .mdb (e.g. my_backup.mdb).");
        }
        return name;
    }

    /** {@code prefix + time + .mdb}, with {@code _2}, {@code _3}… added when that name is taken. */
    private String freeName(String prefix, DateTimeFormatter stamp) {
        String base = prefix + stamp.format(Instant.now());
        String key = base + ".mdb";
        for (int n = 2; Files.exists(folder.resolve(key)); n++) key = base + "_" + n + ".mdb";
        return key;
    }
}
