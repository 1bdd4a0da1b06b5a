package dev.nanodb.backups;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileService;
import dev.nanodb.files.FileStorage;
import dev.nanodb.store.Operations;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a backup archive: a zip holding {@value #DATA} (the store's snapshot) and every stored file as
 * {@value #FILES}{@code <collectionId>/<recordId>/<name>} — the layout of a data folder, so the archive unzipped into
 * an empty folder is a data folder a stopped server can start on.
 *
 * <p>Bytes are streamed from the snapshot and from the file storage into the archive (never a whole file in the
 * heap); what stays in memory is one line per file (the storage's list and the zip's central directory, a few
 * hundred bytes each). The archive is written under a temporary name beside the target, forced to disk and
 * renamed, so a file appears under a backup's key only when complete.
 */
final class ArchiveWriter {
    static final String DATA = "data.mdb";
    static final String FILES = "storage/";
    private static final int BUFFER = 64 * 1024;

    private ArchiveWriter() {}

    /**
     * Archives {@code snapshot} and the stored files, except {@code leaveOut}, as {@code target}.
     *
     * <p>Consistency: the caller holds the file service's removal hold since before the snapshot began, so every
     * file the snapshot names — stored before its record committed — is still stored when it is listed here. Files
     * uploaded after the snapshot may be archived too; no record of the snapshot names them, so they are never
     * served after a restore and the sweep removes them.
     *
     * Thumbnails are left out: they are made again from their originals on request.
     *
     * @param progress reports the archive's entries: total once the files are listed, done as each is written
     */
    static void write(Path snapshot, FileService files, Set<FileKey> leaveOut, Path target,
                      Operations.Operation progress) throws IOException {
        List<FileStorage.Entry> stored = files.list().stream().filter(e -> e.key().thumb() == null).toList();
        progress.total(1 + stored.size());
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER))) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(entry(DATA, Files.getLastModifiedTime(snapshot)));
            Files.copy(snapshot, zip);
            long done = 1;
            progress.done(done);
            for (FileStorage.Entry e : stored) {
                if (!leaveOut.contains(e.key())) add(zip, files, e.key());
                progress.done(++done);
            }
            zip.finish();
            zip.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        Folders.sync(target.getParent());
    }

    /** Copies one stored file into the archive; one listed but gone since (removed outside NanoDB) is left out. */
    private static void add(ZipOutputStream zip, FileService files, FileKey key) throws IOException {
        Optional<FileStorage.Blob> blob = files.find(key);
        if (blob.isEmpty()) return;
        zip.putNextEntry(entry(FILES + key, FileTime.from(blob.get().modified())));
        try (InputStream in = blob.get().open(0, blob.get().size())) {
            in.transferTo(zip);
        }
        zip.closeEntry();
    }

    private static ZipEntry entry(String name, FileTime modified) {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(modified);
        return e;
    }
}
