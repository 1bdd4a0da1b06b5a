package dev.nanodb.backups;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileService;
import dev.nanodb.store.Operations;
import dev.nanodb.store.Snapshots;
import dev.nanodb.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** One restore of {@link BackupService}: its steps over the store's snapshots, the files and the shelf. */
final class Restore {
    private final Snapshots snapshots;
    private final FileService files;
    private final Shelf shelf;
    private final Path work;

    /** @param work this restore's own empty folder for temporaries */
    Restore(Snapshots snapshots, FileService files, Shelf shelf, Path work) {
        this.snapshots = snapshots;
        this.files = files;
        this.shelf = shelf;
        this.work = work;
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
    static void run(Restore r, Path file, String previous, Operations.Operation op) {
        r.replace(file, previous, op);
    }

    private void replace(Path file, String previous, Operations.Operation op) {
        try {
            ArchiveReader.Contents backup = file.getFileName().toString().endsWith(".zip")
                    ? ArchiveReader.unpack(file, Files.createDirectory(work.resolve("unpacked"))) : new ArchiveReader.Contents(file, null);
            op.done(1);
            Path before = work.resolve(previous);
            Set<FileKey> added = new HashSet<>();
            try (FileService.Hold hold = files.holdRemovals(); Operations.Operation steps = BackupService.unreported()) {
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
            Path archive = work.resolve("pre-" + previous);
            ArchiveWriter.write(before, files, added, archive, BackupService.unreported());
            shelf.keep(previous, archive);
        } catch (IOException | RuntimeException e) {
            String storeOnly = previous.replace(".zip", ".mdb");
            try {
                shelf.keep(storeOnly, before);
            } catch (IOException | RuntimeException keepFailed) {
                e.addSuppressed(keepFailed);
            }
            throw new StoreException.Unavailable("The backup was restored, but the data before it could be kept only "
                    + "without its files, as " + storeOnly + ".", e);
        }
    }
}
