package dev.nanodb.store.lmdb;

import dev.nanodb.store.ChangeListeners;
import dev.nanodb.store.ConsistencyReport;
import dev.nanodb.store.Operations;
import dev.nanodb.store.StoreException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Stat;

/**
 * Backups of the embedded store as single LMDB data files.
 *
 * <p>A snapshot is {@code mdb_env_copy2} with {@code MDB_CP_COMPACT}: LMDB copies the live pages of ONE read
 * transaction (free pages left out), so the copy holds exactly what was committed when it began, while writers
 * keep committing. It is written into an empty folder beside the target, synced, and renamed into place, so a
 * crash never leaves a half-written file under a backup's name. LMDB reports no progress; the size written so far
 * is polled against the pages the source uses (an estimate: free pages are not copied).
 *
 * <p>A restore stages a copy of the file next to the live one, verifies it read-only, runs the caller's work that
 * must precede the swap, then — on the writer thread, with every earlier write durable and later ones held back —
 * snapshots the live data and swaps the files.
 */
final class LmdbSnapshots {
    private static final long POLL_MS = 100;
    private static final String TEMP_PREFIX = ".snapshot-";
    /** The temporary folders this process's snapshots are writing now. */
    private final Set<Path> writing = ConcurrentHashMap.newKeySet();
    private final Lmdb db;
    private final Catalog catalog;
    private final Committer committer;
    private final ChangeListeners listeners;
    private final Operations operations;

    LmdbSnapshots(Lmdb db, Catalog catalog, Committer committer, ChangeListeners listeners, Operations operations) {
        this.db = db;
        this.catalog = catalog;
        this.committer = committer;
        this.listeners = listeners;
        this.operations = operations;
    }

    void snapshot(Path target, Operations.Operation progress) {
        if (Files.exists(target)) throw new StoreException.InvalidValue("file", "The target file already exists.");
        Path folder = null;
        try {
            folder = startWriting(target.toAbsolutePath().getParent());
            Path written = folder.resolve("data.mdb");
            copy(folder.toFile(), written, progress);
            sync(written);
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
            Lmdb.syncFolder(target.toAbsolutePath().getParent());
            progress.done(Files.size(target));
            progress.total(Files.size(target));
        } catch (IOException e) {
            throw new StoreException.Unavailable("The snapshot could not be written.", e);
        } catch (RuntimeException e) {
            throw LmdbErrors.translate(e, db.dir);
        } finally {
            deleteQuietly(folder);
            if (folder != null) writing.remove(folder);
        }
    }

    /**
     * A fresh temporary folder beside the target, after removing the temporary folders there that no snapshot of
     * this process is writing: leftovers of a crash in the middle of a copy (they never carry a backup's name).
     */
    private synchronized Path startWriting(Path parent) throws IOException {
        try (Stream<Path> files = Files.list(parent)) {
            files.filter(f -> f.getFileName().toString().startsWith(TEMP_PREFIX) && !writing.contains(f))
                    .forEach(LmdbSnapshots::deleteQuietly);
        }
        Path folder = Files.createTempDirectory(parent, TEMP_PREFIX);
        writing.add(folder);
        return folder;
    }

    /** The copy itself, under the shared side of {@link Lmdb#copies}, with a poller reporting the bytes written. */
    private void copy(File folder, Path written, Operations.Operation progress) {
        db.copies.readLock().lock();
        Thread poller = null;
        try {
            progress.total(usedBytes());
            poller = Thread.ofVirtual().name("nanodb-snapshot-progress").start(() -> poll(written, progress));
            db.env.copy(folder, CopyFlags.MDB_CP_COMPACT);
        } finally {
            db.copies.readLock().unlock();
            if (poller != null) poller.interrupt();
        }
    }

    private long usedBytes() {
        Stat s = db.env.stat();
        return (db.env.info().lastPageNumber + 1) * s.pageSize;
    }

    private static void poll(Path written, Operations.Operation progress) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (Files.exists(written)) progress.done(Files.size(written));
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException | IOException e) {
            // the copy ended (or the file went away): nothing more to report
        }
    }

    ConsistencyReport verify(Path file) {
        if (!Files.isRegularFile(file)) throw new StoreException.InvalidValue("file", "The backup file does not exist.");
        SnapshotFile.requireWhole(file);
        Lmdb snapshot;
        try {
            snapshot = Lmdb.readOnly(file.toFile());
        } catch (RuntimeException e) {
            throw new StoreException.InvalidValue("file", "The file is not a NanoDB backup (not an LMDB file with "
                    + "NanoDB's databases).");
        }
        try (snapshot) {
            Catalog c = new Catalog(snapshot, null, null);
            c.load();
            return snapshot.read(txn -> new Checker(snapshot).check(txn, c.all()));
        } catch (RuntimeException e) {
            throw new StoreException.InvalidValue("file", "The backup cannot be read: its content is damaged.");
        }
    }

    void restore(Path file, Path previous, Runnable beforeSwap, Operations.Operation progress) {
        Path staged = db.dir.toPath().resolve("data.mdb.restoring");
        progress.total(4);
        try {
            Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
            sync(staged);
            progress.done(1);
            ConsistencyReport report = verify(staged);
            if (!report.clean()) {
                throw new StoreException.InvalidValue("file", "The backup is inconsistent (" + report.problems().size()
                        + " problems, first: " + report.problems().getFirst() + ").");
            }
            beforeSwap.run();
            progress.done(2);
            committer.alone(() -> swap(staged, previous, progress)).join();
            progress.done(4);
            listeners.reset();
        } catch (IOException e) {
            throw new StoreException.Unavailable("The backup could not be staged for the restore.", e);
        } catch (CompletionException e) {
            throw LmdbErrors.translate(e.getCause(), db.dir);
        } finally {
            deleteQuietly(staged);
        }
    }

    /** On the writer thread, nothing else writing: keep the live data as {@code previous}, then swap. */
    private Void swap(Path staged, Path previous, Operations.Operation progress) {
        try (Operations.Operation copy = operations.start("backup", "the data before the restore, kept as "
                + previous.getFileName(), 0)) {
            snapshot(previous, copy);
        }
        progress.done(3);
        try {
            db.swap(staged, catalog::loadExclusive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try (var files = Files.walk(p)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary file is harmless: it never has a backup's name
        }
    }
}
