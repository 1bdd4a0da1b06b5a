package dev.nanodb.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.store.StoreException;
import dev.nanodb.testing.Archives;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking: the data folder's layout lands where it belongs; a zip bomb stops at the room it is given. */
class ArchiveReaderTest {
    @TempDir
    Path dir;

    @Test
    void unpacksTheStoreAndTheFilesWithTheirFolderEntries() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.mdb", new byte[] {1, 2, 3});
        entries.put("storage/", new byte[0]);
        entries.put("storage/pbc_1/rec1/", new byte[0]);
        entries.put("storage/pbc_1/rec1/a_0123456789.txt", "a".getBytes(StandardCharsets.UTF_8));
        Path archive = Files.write(dir.resolve("a.zip"), Archives.zip(entries));
        Path into = Files.createDirectory(dir.resolve("into"));
        ArchiveReader.Contents c = ArchiveReader.unpack(archive, into);
        assertThat(c.data()).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(c.files().resolve("pbc_1/rec1/a_0123456789.txt")).hasContent("a");
    }

    @Test
    void aZipBombStopsAtTheRoomGiven(@TempDir Path into) throws Exception {
        Path archive = dir.resolve("bomb.zip");
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            Archives.zeros(zip, "data.mdb", 1);
            Archives.zeros(zip, "storage/c/r/zeros", 64L << 20);
        }
        assertThat(Files.size(archive)).isLessThan(1 << 20);
        assertThatThrownBy(() -> ArchiveReader.unpack(archive, into, 8L << 20))
                .isInstanceOfSatisfying(StoreException.InvalidValue.class, e -> assertThat(e.getMessage()).contains("does not fit"));
        assertThat(Files.size(into.resolve("storage/c/r/zeros"))).isLessThanOrEqualTo(8L << 20);
    }

    @Test
    void aThumbnailIsNoPartOfABackup() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.mdb", new byte[] {1});
        entries.put("storage/pbc_1/rec1/thumbs_a_0123456789.png/100x100_a_0123456789.png", new byte[] {2});
        Path archive = Files.write(dir.resolve("t.zip"), Archives.zip(entries));
        Path into = Files.createDirectory(dir.resolve("into"));
        assertThatThrownBy(() -> ArchiveReader.unpack(archive, into))
                .isInstanceOfSatisfying(StoreException.InvalidValue.class, e -> assertThat(e.getMessage()).contains("thumbs_"));
        assertThat(into.resolve("storage/pbc_1/rec1/a_0123456789.png")).doesNotExist();
    }
}
