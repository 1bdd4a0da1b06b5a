package dev.nanodb.backups;

import dev.nanodb.error.ApiException;
import dev.nanodb.files.FileKey;
import dev.nanodb.files.Bucket;
import dev.nanodb.files.FileService;
import dev.nanodb.files.FileStorage;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Backups of the whole data — the store and the records' files — as archives kept in one place: the folder
 * {@code DB_PATH/backups}, or the S3-compatible bucket the settings name ({@code backups.s3}), chosen at each
 * operation ({@link Shelf}). A backup is a zip of the store's snapshot and every stored file ({@link ArchiveWriter});
 * a restore brings back both ({@link #restore(Path, String)}); an uploaded archive is checked as a NanoDB backup
 * before it is kept ({@link #upload}). LMDB data files ({@code .mdb}) written by earlier versions hold the store
 * only; they are still listed, downloaded, deleted and restored.
 *
 * <p>Invariants: a backup's key is also its file or object name and always matches {@link #NAME} (so no key can
 * reach outside the folder); a key names an archive only once it is complete (written under a hidden name, forced,
 * renamed; or uploaded to the bucket in one PUT); at most one backup, upload or restore runs at a time in this
 * process — a second one is refused, not queued, so an administrator never waits without knowing why — and its
 * temporaries are hidden entries of the folder, so any found when one starts are a crash's leftovers and are
 * removed. A store without the {@link Snapshots} capability (PostgreSQL) refuses every operation with
 * {@link #POSTGRES}.
 */
public final class BackupService {
    /** The prefix of scheduled backups' keys (PocketBase's); no name a client gives may take it. */
    public static final String AUTO_PREFIX = "@auto_pb_backup_";
    /**
     * Keys of backups: PocketBase's rule ({@code [a-z0-9_-]+.zip}) or LMDB's extension for an earlier version's,
     * optionally after {@link #AUTO_PREFIX}.
     */
    public static final Pattern NAME = Pattern.compile("(@auto_pb_backup_)?[a-z0-9_-]+\\.(zip|mdb)");
    /** Names a client gives to new backups and uploads: always archives, never the scheduled backups' prefix. */
    private static final Pattern NEW_NAME = Pattern.compile("[a-z0-9_-]+\\.zip");
    public static final int MAX_NAME = 150;
    /** The file name {@code FormData} gives a {@code Blob} appended without one (the SDK's {@code upload({file: blob})}). */
    static final String UNNAMED = "blob";
    public static final String BUSY = "Try again later - another backup/restore operation has already been started.";
    public static final String POSTGRES = "Backups of a PostgreSQL-backed NanoDB are taken with the database's own "
            + "tools (pg_dump / pg_basebackup / point-in-time recovery); see docs/API.md#backups";
    /** UTC times in generated names, digits only as in PocketBase's ({@code T}/{@code Z} would break {@link #NAME}). */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP_MS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final Store store;
    private final FileService files;
    private final Path folder;
    private final Supplier<Bucket> bucket;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** One backup as listed: its key (file or object name), size in bytes and last modification. */
    public record Backup(String key, long size, Instant modified) {}

    /** Backups in {@code folder} only (the command line). */
    public BackupService(Store store, FileService files, Path folder) {
        this(store, files, folder, () -> null);
    }

    /**
     * @param folder the backups folder, also where every operation's temporaries go
     * @param bucket the bucket backups are kept in now, read at each operation; null: the folder
     */
    public BackupService(Store store, FileService files, Path folder, Supplier<Bucket> bucket) {
        this.store = store;
        this.files = files;
        this.folder = folder;
        this.bucket = bucket;
    }

    /** The backups folder of a data folder. */
    public static Path folderOf(Path dataDir) {
        return dataDir.resolve("backups");
    }

    /** Every backup, newest first. */
    public List<Backup> list() {
        snapshots();
        List<Backup> out = new ArrayList<>(io(() -> shelf().list()));
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
        String requested = name == null ? null : validName(name, "name");
        return exclusively(() -> {
            Shelf shelf = shelf();
            String key = requested == null ? freeName(shelf, "nanodb_backup_", STAMP) : requested;
            if (exists(shelf, key)) {
                throw ApiException.invalidField("name", "validation_backup_exists", "A backup with this name already exists.");
            }
            create(snapshots, shelf, key);
            return key;
        });
    }

    /**
     * A scheduled backup: {@link #AUTO_PREFIX}, the application's name and the time as its key; then the scheduled
     * backups beyond the newest {@code keep} are removed (0: none is), the others are never touched.
     *
     * @return the new backup's key
     */
    public String createScheduled(String appName, int keep) {
        Snapshots snapshots = snapshots();
        String key = exclusively(() -> {
            Shelf shelf = shelf();
            String k = freeName(shelf, AUTO_PREFIX + AutoNames.app(appName) + "_", STAMP);
            create(snapshots, shelf, k);
            return k;
        });
        if (keep > 0) io(() -> AutoNames.prune(shelf(), keep));
        return key;
    }

    private void create(Snapshots snapshots, Shelf shelf, String key) {
        try (Operations.Operation op = store.operations().start("backup", "backup " + key, 0)) {
            run(op, () -> archive(snapshots, shelf, key, op));
        }
    }

    /**
     * Keeps an uploaded archive under {@code name} (PocketBase's upload: the file's own name; none, or a browser's
     * {@value #UNNAMED} for a {@code Blob} without one, gets {@code nanodb_upload_<time>.zip}) once it is checked:
     * a valid new name, not taken, a zip holding only a NanoDB backup's entries with intact CRCs, whose store data
     * the store verifies. Anything else is a 400 on {@code file} and nothing is kept.
     *
     * @param upload the uploaded file on local disk; it may be gone afterwards
     */
    public String upload(String name, Path upload) {
        Snapshots snapshots = snapshots();
        String given = name.isEmpty() || name.equals(UNNAMED) ? null : validName(name, "file");
        return exclusively(() -> {
            Shelf shelf = shelf();
            String key = given == null ? freeName(shelf, "nanodb_upload_", STAMP) : given;
            if (exists(shelf, key)) {
                throw ApiException.invalidField("file", "validation_backup_name_exists", "Backup file with the specified name already exists.");
            }
            Path work = startWork();
            try {
                snapshots.verify(ArchiveReader.check(upload, work));
                shelf.keep(key, upload);
            } catch (StoreException.InvalidValue e) {
                throw ApiException.invalidField("file", "validation_invalid_backup", "The file is not a NanoDB backup: " + e.getMessage());
            } catch (IOException e) {
                throw new StoreException.Unavailable("The uploaded backup could not be kept.", e);
            } finally {
                Folders.deleteQuietly(work);
            }
            return key;
        });
    }

    /** The file of a backup in the local folder; 404 when there is none under this key (the command line). */
    public Path file(String key) {
        snapshots();
        Path f = validKey(key) ? folder.resolve(key) : null;
        if (f == null || !Files.isRegularFile(f)) throw notFound();
        return f;
    }

    /** A backup's bytes where it is kept; 404 when there is none under this key. */
    public FileStorage.Blob find(String key) {
        snapshots();
        if (!validKey(key)) throw notFound();
        return io(() -> shelf().find(key)).orElseThrow(BackupService::notFound);
    }

    public void delete(String key) {
        find(key);
        io(() -> {
            shelf().delete(key);
            return null;
        });
    }

    /**
     * Replaces the live data with a backup after verifying it (a damaged, foreign or hostile file is a 400 and changes
     * nothing). The data live before is kept first as a new backup, whose key is returned.
     */
    public String restore(String key) {
        find(key);
        Snapshots snapshots = snapshots();
        String previous = freeName(shelf(), "nanodb_pre_restore_", STAMP_MS);
        return exclusively(() -> {
            Shelf shelf = shelf();
            Path work = startWork();
            try {
                replace(snapshots, shelf, io(() -> shelf.local(key, work)), key, previous, work);
            } finally {
                Folders.deleteQuietly(work);
            }
            return previous;
        });
    }

    /**
     * As {@link #restore(String)} for any file (the command line restores a path); {@code label} names it. The
     * format follows the file's extension: {@code .zip} an archive, anything else an LMDB data file (the store only:
     * the stored files stay as they are).
     */
    public String restore(Path file, String label) {
        Snapshots snapshots = snapshots();
        String previous = freeName(shelf(), "nanodb_pre_restore_", STAMP_MS);
        return exclusively(() -> {
            Path work = startWork();
            try {
                replace(snapshots, shelf(), file, label, previous, work);
            } finally {
                Folders.deleteQuietly(work);
            }
            return previous;
        });
    }

    private void replace(Snapshots snapshots, Shelf shelf, Path file, String label, String previous, Path work) {
        try (Operations.Operation op = store.operations().start("restore", "restore " + label, 4)) {
            run(op, () -> Restore.run(new Restore(snapshots, files, shelf, work), file, previous, op));
        } catch (StoreException.InvalidValue e) {
            throw new ApiException(400, "The backup " + label + " cannot be restored: " + e.getMessage(),
                    Map.of("key", ApiException.fieldError("validation_invalid_backup", e.getMessage())));
        }
    }

    /** Under the removal hold: the snapshot, then the files ({@link ArchiveWriter#write} says why that is consistent). */
    private void archive(Snapshots snapshots, Shelf shelf, String key, Operations.Operation op) {
        Path work = startWork();
        try (FileService.Hold hold = files.holdRemovals()) {
            Path snapshot = work.resolve(ArchiveWriter.DATA);
            try (Operations.Operation copy = unreported()) {
                snapshots.snapshot(snapshot, copy);
            }
            Path archive = work.resolve(key);
            ArchiveWriter.write(snapshot, files, Set.of(), archive, op);
            shelf.keep(key, archive);
        } catch (IOException e) {
            throw new StoreException.Unavailable("The backup could not be written.", e);
        } finally {
            Folders.deleteQuietly(work);
        }
    }

    /** Progress that nobody is shown: an inner step of an operation that reports its own. */
    static Operations.Operation unreported() {
        return new Operations().start("", "", 0);
    }

    private Snapshots snapshots() {
        if (store instanceof Snapshots s) return s;
        throw new ApiException(400, POSTGRES);
    }

    /** Runs the work unless another backup, upload or restore is running (then 400 {@link #BUSY}). */
    private <T> T exclusively(Supplier<T> work) {
        if (!busy.compareAndSet(false, true)) throw new ApiException(400, BUSY);
        try {
            return work.get();
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

    private Shelf shelf() {
        Bucket b = bucket.get();
        return b == null ? new LocalShelf(folder) : new BucketShelf(b);
    }

    private static boolean exists(Shelf shelf, String key) {
        return io(() -> shelf.find(key)).isPresent();
    }

    private static boolean validKey(String key) {
        return key.length() <= MAX_NAME && NAME.matcher(key).matches();
    }

    private static String validName(String name, String field) {
        if (name.length() > MAX_NAME || !NEW_NAME.matcher(name).matches()) {
            throw ApiException.invalidField(field, "validation_invalid_backup_name", "Backup names are at most "
                    + MAX_NAME + " characters of a-z, 0-9, _ and -, ending in .zip (e.g. my_backup.zip).");
        }
        return name;
    }

    /** {@code prefix + time + .zip}, with {@code _2}, {@code _3}… added when that name is taken. */
    private static String freeName(Shelf shelf, String prefix, DateTimeFormatter stamp) {
        String base = prefix + stamp.format(Instant.now());
        String key = base + ".zip";
        for (int n = 2; exists(shelf, key); n++) key = base + "_" + n + ".zip";
        return key;
    }

    private static ApiException notFound() {
        return ApiException.notFound("The requested backup wasn't found.");
    }

    /** Where backups are kept is unreachable or failing: a 503 whose cause is logged, never answered. */
    private static <T> T io(IoWork<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw new StoreException.Unavailable("The backups storage failed.", e);
        }
    }

    private interface IoWork<T> {
        T run() throws IOException;
    }
}
