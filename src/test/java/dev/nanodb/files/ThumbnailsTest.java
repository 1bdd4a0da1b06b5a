package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.files.local.LocalFileStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thumbnails on real local storage: made once and then found; an impossible one is not tried again. */
class ThumbnailsTest {
    @TempDir
    Path dir;

    @Test
    void aThumbnailIsMadeOnceAndAnImpossibleOneIsNotTriedAgain() throws Exception {
        AtomicInteger originalsRead = new AtomicInteger();
        LocalFileStorage local = new LocalFileStorage(dir.resolve("storage"));
        FileStorage counting = new FileStorage() {
            public void put(FileKey key, Path source) throws IOException {
                local.put(key, source);
            }

            public Optional<Blob> find(FileKey key) throws IOException {
                if (key.thumb() == null) originalsRead.incrementAndGet();
                return local.find(key);
            }

            public void delete(FileKey key) throws IOException {
                local.delete(key);
            }

            public List<Entry> list(String prefix) throws IOException {
                return local.list(prefix);
            }
        };
        FileKey photo = new FileKey("pbc_a", "rec000000000001", "photo_abcdefghij.png");
        FileKey fake = new FileKey("pbc_a", "rec000000000001", "fake_abcdefghij.png");
        Path png = dir.resolve("p.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        local.put(photo, png);
        local.put(fake, Files.writeString(dir.resolve("f.txt"), "not an image"));
        ThumbSize size = ThumbSize.parse("100x100").orElseThrow();
        try (Thumbnails t = new Thumbnails(counting)) {
            assertThat(t.get(photo, size).join()).isPresent();
            assertThat(t.get(photo, size).join()).as("found stored, not made again").isPresent();
            assertThat(originalsRead.get()).isEqualTo(1);
            assertThat(t.get(fake, size).join()).isEmpty();
            assertThat(t.get(fake, size).join()).isEmpty();
            assertThat(originalsRead.get()).as("the impossible one was read once").isEqualTo(2);
        }
    }
}
