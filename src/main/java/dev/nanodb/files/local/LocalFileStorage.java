package dev.nanodb.files.local;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileStorage;
import dev.nanodb.files.PathBlob;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Files on local disk under one root folder, each at its {@link FileKey}'s path
 * ({@code <root>/<collectionId>/<recordId>/<name>}, thumbnails one folder deeper).
 *
 * <p>{@link #put} writes a hidden temporary file beside the target ({@code .<name>.<uuid>.tmp}), forces it to disk,
 * renames it over the target in one atomic step and forces the folder, so after a crash the name holds either
 * nothing or every byte. Temporary files a crash left behind are never listed and are removed by
 * {@link #removeTemporaries}.
 */
public final class LocalFileStorage implements FileStorage {
    private static final String TMP = ".tmp";
    /** Folder levels below the root: collection, record, file — or, for a thumbnail, its original's folder and file. */
    private static final int DEPTH = 4;
    private final Path root;

    public LocalFileStorage(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    @Override
    public void put(FileKey key, Path source) throws IOException {
        Path target = path(key);
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + key.fileName() + "." + UUID.randomUUID() + TMP);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = create(tmp)) {
            long size = in.size();
            for (long done = 0; done < size; ) done += in.transferTo(done, size - done, out);
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceFolder(dir);
        forceFolder(dir.getParent());
    }

    /**
     * Takes the source file itself when it is on the storage's file system (an upload streamed to
     * {@code DB_PATH/uploads}): forced to disk, then renamed to the target in one atomic step — the same guarantees
     * as {@link #put} (the source's own name is the temporary one) without copying the bytes; else {@link #put}.
     */
    @Override
    public void adopt(FileKey key, Path source) throws IOException {
        if (!Files.getFileStore(source).equals(Files.getFileStore(root))) {
            put(key, source);
            return;
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path target = path(key);
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                break;
            } catch (java.nio.file.AtomicMoveNotSupportedException other) {
                put(key, source);
                return;
            } catch (NoSuchFileException folderGone) {
                if (attempt == 2 || !Files.exists(source)) throw folderGone;
            }
        }
        forceFolder(target.getParent());
        forceFolder(target.getParent().getParent());
    }

    /**
     * Creates the temporary file, and its record folder when missing; once more if a {@link #delete} of the record's
     * last file removed the folder in between.
     */
    private static FileChannel create(Path tmp) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(tmp.getParent());
            try {
                return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (NoSuchFileException gone) {
                if (attempt == 2) throw gone;
            }
        }
    }

    @Override
    public boolean findsLocally() {
        return true;
    }

    @Override
    public Optional<Blob> find(FileKey key) throws IOException {
        Path p = path(key);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!a.isRegularFile()) return Optional.empty();
        return Optional.of(new PathBlob(p, a.size(), a.lastModifiedTime().toInstant()));
    }

    @Override
    public void delete(FileKey key) throws IOException {
        Path p = path(key);
        Files.deleteIfExists(p);
        for (Path dir = p.getParent(); !dir.equals(root) && !dir.getParent().equals(root); dir = dir.getParent()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException keep) {
                return; // the record (or the original) still has other files
            }
        }
    }

    /** Files removed while the folders are walked (a delete, a sweep) are skipped, never an error. */
    @Override
    public List<Entry> list(String prefix) throws IOException {
        List<Entry> out = new ArrayList<>();
        Path from = folderOf(prefix);
        if (!Files.isDirectory(from)) return out;
        int depth = DEPTH - (from.equals(root) ? 0 : root.relativize(from).getNameCount());
        Files.walkFileTree(from, java.util.Set.of(), depth, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                if (!a.isRegularFile() || root.relativize(p).getNameCount() < 3 || p.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.CONTINUE;
                }
                FileKey key = FileKey.parse(root.relativize(p).toString().replace('\\', '/'));
                if (key != null && key.toString().startsWith(prefix)) out.add(new Entry(key, a.lastModifiedTime().toInstant()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e == null || e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }
        });
        return out;
    }

    /** Removes temporary files older than {@code before} (left by a crash during {@link #put}); returns how many. */
    public int removeTemporaries(Instant before) throws IOException {
        int removed = 0;
        try (Stream<Path> files = Files.walk(root, DEPTH)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") || !n.endsWith(TMP) || !Files.isRegularFile(p)) continue;
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before) && Files.deleteIfExists(p)) removed++;
            }
        }
        return removed;
    }

    /** The deepest folder of the storage that holds every key starting with {@code prefix}. */
    private Path folderOf(String prefix) {
        int cut = prefix.lastIndexOf('/');
        if (cut < 0) return root;
        Path p = root.resolve(prefix.substring(0, cut)).normalize();
        return p.startsWith(root) ? p : root;
    }

    private Path path(FileKey key) {
        Path p = root.resolve(key.toString()).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("outside the storage root: " + key);
        return p;
    }

    private static void forceFolder(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
