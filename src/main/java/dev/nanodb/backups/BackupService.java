package dev.nanodb.backups;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileService;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Snapshots;
import dev.nanodb.store.Store;
import dev.nanodb.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Backups of the whole data — the store and the records' files — as archives in one folder
 * ({@code DB_PATH/backups}), for the API and the command line. A backup is a zip of the store's snapshot and every
 * stored file ({@link ArchiveWriter}); a restore brings back both ({@link #restore(Path, String)}). LMDB data files
 * ({@code .mdb}) written by earlier versions hold the store only; they are still listed, downloaded, deleted and
 * restored.
 *
 * <p>Invariants: a backup's key is also its file name and always matches {@link #NAME} (so no key can reach
 * outside the folder); a file appears under a key only when complete (written under a hidden name, forced, renamed);
 * at most one backup or restore runs at a time in this process — a second one is refused, not queued, so an
 * administrator never waits without knowing why — and its temporaries are hidden entries of the folder, so any
 * found when one starts are a crash's leftovers and are removed. A store without the {@link Snapshots} capability
 * (PostgreSQL) refuses every operation with {@link #POSTGRES}.
 */
public final class BackupService {
    /** Keys of backups: PocketBase's rule ({@code [a-z0-9_-]+.zip}), or LMDB's extension for an earlier version's. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9_-]+\\.(zip|mdb)");
    /** Names of new backups: always archives. */
    private static final Pattern NEW_NAME = Pattern.compile("[a-z0-9_-]+\\.zip");
    public static final int MAX_NAME = 150;
    public static final String BUSY = "Try again later - another backup/restore operation has already been started.";
    public static final String POSTGRES = "Backups of a PostgreSQL-backed NanoDB are taken with the database's own "
            + "tools (pg_dump / pg_basebackup / point-in-time recovery); see docs/API.md#backups";
    /** UTC times in generated names, digits only as in PocketBase's ({@code T}/{@code Z} would break {@link #NAME}). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP_MS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final Store store;
    private final FileService files;
    private final Path folder;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** One backup file as listed: its key (file name), size in bytes and last modification. */
    public record Backup(String key, long size, Instant modified) {}

    public BackupService(Store store, FileService files, Path folder) {
        this.store = store;
        this.files = files;
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
     * Archives the live data while the server keeps serving, under {@code name} (null: a name from the current
     * time). Returns when the archive is complete.
     *
     * @return the new backup's key
     */
    public String create(String name) {
        Snapshots snapshots = snapshots();
        String key = name == null ? freeName("nanodb_backup_", STAMP) : validName(name);
        exclusively(() -> {
            if (Files.exists(folder.resolve(key))) {
                throw ApiException.invalidField("name", "validation_backup_exists", "A backup with this name already exists.");
            }
            try (Operations.Operation op = store.operations().start("backup", "backup " + key, 0)) {
                run(op, () -> archive(snapshots, key, op));
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
     * Replaces the live data with a backup after verifying it (a damaged, foreign or hostile file is a 400 and changes
     * nothing). The data live before is kept first as a new backup, whose key is returned.
     */
    public String restore(String key) {
        return restore(file(key), key);
    }

    /**
     * As {@link #restore(String)} for any file (the command line restores a path); {@code label} names it. The
     * format follows the file's extension: {@code .zip} an archive, anything else an LMDB data file (the store only:
     * the stored files stay as they are).
     */
    public String restore(Path file, String label) {
        Snapshots snapshots = snapshots();
        String previous = freeName("nanodb_pre_restore_", STAMP_MS);
        exclusively(() -> {
            try (Operations.Operation op = store.operations().start("restore", "restore " + label, 4)) {
                run(op, () -> replace(snapshots, file, previous, op));
            } catch (StoreException.InvalidValue e) {
                throw new ApiException(400, "The backup " + label + " cannot be restored: " + e.getMessage(),
                        Map.of("key", ApiException.fieldError("validation_invalid_backup", e.getMessage())));
            }
        });
        return previous;
    }

    /** Under the removal hold: the snapshot, then the files ({@link ArchiveWriter#write} says why that is consistent). */
    private void archive(Snapshots snapshots, String key, Operations.Operation op) {
        Path work = startWork();
        try (FileService.Hold hold = files.holdRemovals()) {
            Path snapshot = work.resolve(ArchiveWriter.DATA);
            try (Operations.Operation copy = unreported()) {
                snapshots.snapshot(snapshot, copy);
            }
            ArchiveWriter.write(snapshot, files, Set.of(), folder.resolve(key), op);
        } catch (IOException e) {
            throw new StoreException.Unavailable("The backup could not be written.", e);
        } finally {
            Folders.deleteQuietly(work);
        }
    }

    /**
     * The restore's steps, each reported as one step done: (1) the archive is unpacked and checked; the store's
     * snapshot is verified by the store; (2) the backup's files are stored — each under its own key, only where the
     * key is free, so no live file changes and none is served before a restored record names it; (3) the store
     * swaps to the backup's data, keeping the data before as a snapshot; (4) that snapshot and the stored files,
     * except those step 2 added, become the pre-restore archive. Removals are held from before step 2 until step 4
     * is complete: a removal asked for by a commit before the swap cannot delete a file the restored records name
     * (it is checked again against the restored store), and every file the data before named is still there for
     * the pre-restore archive. Files no restored record names are never served and the sweep removes them.
     */
    private void replace(Snapshots snapshots, Path file, String previous, Operations.Operation op) {
        Path work = startWork();
        try {
            ArchiveReader.Contents backup = file.getFileName().toString().endsWith(".zip")
                    ? ArchiveReader.unpack(file, work) : new ArchiveReader.Contents(file, null);
            op.done(1);
            Path before = work.resolve(previous);
            Set<FileKey> added = new HashSet<>();
            try (FileService.Hold hold = files.holdRemovals(); Operations.Operation steps = unreported()) {
                try {
                    snapshots.restore(backup.data(), before, () -> storeFiles(backup.files(), added, op), steps);
                } catch (RuntimeException e) {
                    files.discard(added);
                    throw e;
                }
                op.done(3);
                keep(before, previous, added);
            }
            op.done(4);
        } catch (IOException e) {
            throw new StoreException.Unavailable("The backup could not be unpacked for the restore.", e);
        } finally {
            Folders.deleteQuietly(work);
        }
    }

    /** Step 2: stores each unpacked file whose key is free; {@code added} collects those stored. */
    private void storeFiles(Path unpacked, Set<FileKey> added, Operations.Operation op) {
        if (unpacked != null) {
            try (Stream<Path> all = Files.walk(unpacked, 3)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path r = unpacked.relativize(p);
                    if (r.getNameCount() != 3 || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                    FileKey key = new FileKey(r.getName(0).toString(), r.getName(1).toString(), r.getName(2).toString());
                    if (files.restore(key, p)) added.add(key);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        op.done(2);
    }

    /**
     * Step 4. Should the archive fail (a full disk), the store's snapshot of the data before is kept on its own as
     * an {@code .mdb} backup, and the failure says so: the restore itself is done.
     */
    private void keep(Path before, String previous, Set<FileKey> added) {
        try {
            ArchiveWriter.write(before, files, added, folder.resolve(previous), unreported());
        } catch (IOException | RuntimeException e) {
            String storeOnly = previous.replace(".zip", ".mdb");
            try {
                Files.move(before, folder.resolve(storeOnly));
            } catch (IOException moveFailed) {
                e.addSuppressed(moveFailed);
            }
            throw new StoreException.Unavailable("The backup was restored, but the data before it could be kept only "
                    + "without its files, as " + storeOnly + ".", e);
        }
    }

    /** Progress that nobody is shown: an inner step of an operation that reports its own. */
    private static Operations.Operation unreported() {
        return new Operations().start("", "", 0);
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

    /** A fresh hidden folder for this operation's temporaries, after removing a crash's leftovers. */
    private Path startWork() {
        try {
            Files.createDirectories(folder);
            Folders.deleteHidden(folder);
            return Files.createTempDirectory(folder, ".work-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String validName(String name) {
        if (name.length() > MAX_NAME || !NEW_NAME.matcher(name).matches()) {
            throw ApiException.invalidField("name", "validation_invalid_backup_name", "Backup names are at most "
                    + MAX_NAME + " characters of a-z, 0-9, _ and -, ending in .zip (e.g. my_backup.zip).");
        }
        return name;
    }

    /** {@code prefix + time + .zip}, with {@code _2}, {@code _3}… added when that name is taken. */
    private String freeName(String prefix, DateTimeFormatter stamp) {
        String base = prefix + stamp.format(Instant.now());
        String key = base + ".zip";
        for (int n = 2; Files.exists(folder.resolve(key)); n++) key = base + "_" + n + ".zip";
        return key;
    }
}
