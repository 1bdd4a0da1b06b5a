package dev.nanodb.backups;

import dev.nanodb.files.FileStorage;
import dev.nanodb.files.PathBlob;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Backups as files of {@code DB_PATH/backups}. A file appears under its key by a rename of a file already forced to
 * disk, followed by a sync of the folder, so a crash leaves either the whole archive or no file of that name.
 */
final class LocalShelf implements Shelf {
    private final Path folder;

    LocalShelf(Path folder) {
        this.folder = folder;
    }

    @Override
    public List<BackupService.Backup> list() throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        List<BackupService.Backup> out = new ArrayList<>();
        try (Stream<Path> all = Files.list(folder)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                String key = f.getFileName().toString();
                if (!BackupService.NAME.matcher(key).matches() || !Files.isRegularFile(f)) continue;
                out.add(new BackupService.Backup(key, Files.size(f), Files.getLastModifiedTime(f).toInstant()));
            }
        }
        return out;
    }

    @Override
    public Optional<FileStorage.Blob> find(String key) throws IOException {
        Path f = folder.resolve(key);
        if (!Files.isRegularFile(f)) return Optional.empty();
        return Optional.of(new PathBlob(f, Files.size(f), Files.getLastModifiedTime(f).toInstant()));
    }

    @Override
    public void keep(String key, Path source) throws IOException {
        Files.createDirectories(folder);
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path target = folder.resolve(key);
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException otherDisk) {
            Path temp = folder.resolve("." + key + ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Files.copy(source, Channels.newOutputStream(out));
                out.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        Folders.sync(folder);
    }

    @Override
    public Path local(String key, Path work) {
        return folder.resolve(key);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(folder.resolve(key));
    }
}
