package dev.nanodb.backups;

import dev.nanodb.files.FileKey;
import dev.nanodb.store.StoreException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a backup archive ({@link ArchiveWriter}'s layout) into a fresh, empty folder, refusing anything else with
 * {@link StoreException.InvalidValue} on field {@code "file"} before the caller changes anything.
 *
 * <p>Hostile archives: the only entries accepted are {@value ArchiveWriter#DATA} (once, required),
 * {@value ArchiveWriter#FILES} followed by a valid {@link FileKey} (once each), and the folder entries on the way to
 * those; every other name — {@code ..}, an absolute or drive path, a backslash, a dot file, anything outside
 * {@code storage/} — is refused, so no entry can be written outside the folder. Entries are read in order from the
 * local headers ({@link ZipInputStream}: one entry's bytes at a time, constant memory, no central directory in the
 * heap) and each is written as a new regular file ({@code CREATE_NEW}, which also refuses a duplicate) in folders
 * this class created: a symbolic link stored in the archive can only become a regular file holding the link's
 * text, never a link. The bytes unpacked are counted as they are written: more than leaves 64 MiB free on the disk
 * stops the unpacking, so a zip bomb costs at most the free disk space, briefly, never the live store's margin. (No
 * ratio is refused: read once from the local headers, no deflate stream expands beyond about 1:1000, which a
 * legitimate store of repetitive records can approach.) CRCs and sizes are checked by the zip reader; an encrypted, truncated or damaged archive is
 * refused.
 */
final class ArchiveReader {
    private static final int BUFFER = 64 * 1024;
    private static final int SHOWN = 80;
    /** Free disk space an unpacking never goes below (the live store and uploads need it). */
    static final long RESERVE = 64L << 20;

    private ArchiveReader() {}

    /** What a restore applies: the store's data file and the folder of the backup's files ({@code null}: none). */
    record Contents(Path data, Path files) {}

    static Contents unpack(Path archive, Path into) throws IOException {
        return unpack(archive, into, Files.getFileStore(into).getUsableSpace() - RESERVE);
    }

    /**
     * Checks an archive as {@link #unpack} would, writing only its {@value ArchiveWriter#DATA} entry (for the store to
     * verify) and reading the files' entries without keeping them: an upload is checked whole before it is kept.
     *
     * @return where the data entry was written
     */
    static Path check(Path archive, Path into) throws IOException {
        return unpack(archive, into, Files.getFileStore(into).getUsableSpace() - RESERVE, false).data();
    }

    /** As {@link #unpack(Path, Path)} with at most {@code room} bytes unpacked. */
    static Contents unpack(Path archive, Path into, long room) throws IOException {
        return unpack(archive, into, room, true);
    }

    /** @param keepFiles whether the files' entries are written too, or only read (their CRCs checked) */
    private static Contents unpack(Path archive, Path into, long room, boolean keepFiles) throws IOException {
        Path data = into.resolve(ArchiveWriter.DATA);
        Path files = into.resolve(ArchiveWriter.FILES);
        boolean hasData = false;
        long written = 0;
        byte[] buffer = new byte[BUFFER];
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive), BUFFER))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = target(e.getName(), data, files);
                if (target == null) continue;
                hasData |= target.equals(data);
                boolean keep = keepFiles || target.equals(data);
                written += copy(zip, keep ? target : null, room - written, buffer, e.getName());
            }
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            throw invalid("it is not a readable zip archive (" + e.getMessage() + ")");
        }
        if (!hasData) throw invalid("it has no " + ArchiveWriter.DATA + " entry (not a NanoDB backup archive)");
        return new Contents(data, Files.isDirectory(files) ? files : null);
    }

    /** Where an entry goes; null for a folder entry on the way to a file; refused for any other name. */
    private static Path target(String name, Path data, Path files) {
        if (name.equals(ArchiveWriter.DATA)) return data;
        if (name.startsWith(ArchiveWriter.FILES)) {
            String rest = name.substring(ArchiveWriter.FILES.length());
            if (folder(rest)) return null;
            FileKey key = FileKey.parse(rest);
            if (key != null && key.thumb() == null) return files.resolve(key.collectionId()).resolve(key.recordId()).resolve(key.name());
        }
        throw invalid("it holds an entry that is not part of a NanoDB backup: '" + shown(name) + "'");
    }

    /** {@code ""}, {@code "<collectionId>/"} or {@code "<collectionId>/<recordId>/"}. */
    private static boolean folder(String rest) {
        if (rest.isEmpty()) return true;
        if (!rest.endsWith("/")) return false;
        String[] parts = rest.substring(0, rest.length() - 1).split("/", -1);
        if (parts.length > 2) return false;
        for (String p : parts) if (!FileKey.validSegment(p)) return false;
        return true;
    }

    /** Copies an entry to {@code target}, or reads it to the end when {@code target} is null. */
    private static long copy(InputStream in, Path target, long room, byte[] buffer, String name) throws IOException {
        if (target != null) Files.createDirectories(target.getParent());
        long n = 0;
        try (OutputStream out = target == null ? OutputStream.nullOutputStream()
                : Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int r; (r = in.read(buffer)) > 0; ) {
                n += r;
                if (n > room) throw invalid("its content does not fit on the disk (an unpacking stops "
                        + (RESERVE >> 20) + " MiB before the disk is full)");
                out.write(buffer, 0, r);
            }
        } catch (FileAlreadyExistsException e) {
            throw invalid("it holds the entry '" + shown(name) + "' twice");
        }
        return n;
    }

    /** An entry name as it may appear in a message: printable ASCII, cut short. */
    private static String shown(String name) {
        String s = name.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s;
    }

    private static StoreException.InvalidValue invalid(String why) {
        return new StoreException.InvalidValue("file", why);
    }
}
