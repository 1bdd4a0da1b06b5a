package dev.nanodb.backups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The file-system steps of backups: durable renames and the removal of temporary folders. */
final class Folders {
    private Folders() {}

    /** Forces a folder's entries (a rename into it) to disk. */
    static void sync(Path folder) throws IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Removes a file or a folder with everything in it; what cannot be removed stays (it never has a backup's name). */
    static void deleteQuietly(Path p) {
        if (p == null || !Files.exists(p)) return;
        try (Stream<Path> all = Files.walk(p)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover is removed when the next backup or restore starts
        }
    }

    /** Removes the hidden entries of a folder: temporaries of a backup or restore that a crash interrupted. */
    static void deleteHidden(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            all.filter(f -> f.getFileName().toString().startsWith(".")).forEach(Folders::deleteQuietly);
        }
    }
}
