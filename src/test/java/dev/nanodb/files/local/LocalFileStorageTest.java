package dev.nanodb.files.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.files.FileKey;
import dev.nanodb.files.FileStorage;
import dev.nanodb.files.FileStorageContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** The storage contract on local disk, and what a crash during a put leaves behind. */
class LocalFileStorageTest extends FileStorageContract {
    private LocalFileStorage storage;

    @Override
    protected FileStorage storage() throws IOException {
        if (storage == null) storage = new LocalFileStorage(tmp.resolve("storage"));
        return storage;
    }

    @org.junit.jupiter.api.Test
    void aTemporaryLeftByACrashIsNeverListedAndIsRemovedOnceOld() throws IOException {
        LocalFileStorage s = (LocalFileStorage) storage();
        FileKey kept = new FileKey("pbc_posts", "rec000000000001", "kept_abcdefghij.txt");
        Path src = Files.writeString(tmp.resolve("src.txt"), "kept");
        s.put(kept, src);
        Path folder = tmp.resolve("storage/pbc_posts/rec000000000001");
        Path old = Files.writeString(folder.resolve(".lost_abcdefghij.txt.0b6f.tmp"), "half");
        Path fresh = Files.writeString(folder.resolve(".busy_abcdefghij.txt.1c7e.tmp"), "in flight");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        assertThat(s.list("")).extracting(FileStorage.Entry::key).containsExactly(kept);
        assertThat(s.removeTemporaries(Instant.now().minusSeconds(600))).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(Files.readString(s.find(kept).orElseThrow().localPath().orElseThrow())).isEqualTo("kept");
    }

    /** The sweep lists while records' files (and their emptied folders) are deleted: a vanished file is skipped. */
    @org.junit.jupiter.api.Test
    void listingWhileFilesAreDeletedNeverFails() throws Exception {
        LocalFileStorage s = (LocalFileStorage) storage();
        Path src = Files.writeString(tmp.resolve("src.txt"), "x");
        java.util.List<FileKey> keys = new java.util.ArrayList<>();
        for (int r = 0; r < 100; r++) {
            for (int f = 0; f < 3; f++) {
                FileKey k = new FileKey("pbc_posts", String.format("rec%012d", r), "f" + f + "_abcdefghij.png");
                s.put(k, src);
                keys.add(k);
                if (f == 0) {
                    s.put(k.thumbnail(dev.nanodb.files.ThumbSize.parse("100x100").orElseThrow()), src);
                }
            }
        }
        Thread deleter = Thread.ofPlatform().start(() -> {
            for (FileKey k : keys) {
                try {
                    for (FileStorage.Entry t : s.list(k.thumbnailsPrefix())) s.delete(t.key());
                    s.delete(k);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        while (deleter.isAlive()) assertThat(s.list("").size()).isLessThanOrEqualTo(400);
        deleter.join();
        assertThat(s.list("")).isEmpty();
        assertThat(tmp.resolve("storage/pbc_posts")).isEmptyDirectory();
    }
}
