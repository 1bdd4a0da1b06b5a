package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PocketBase's thumbnail geometry, and thumbnails of large photos made from a subsampled decode. */
class ThumbImageTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}x{1} at {2}: crop {3},{4} {5}x{6} to {7}x{8}")
    @CsvSource({
            "64, 48, 32x32,    8,  0, 48, 48,  32, 32",
            "48, 64, 32x32,    0,  8, 48, 48,  32, 32",
            "48, 64, 32x32t,   0,  0, 48, 48,  32, 32",
            "48, 64, 32x32b,   0, 16, 48, 48,  32, 32",
            "64, 48, 40x40f,   0,  0, 64, 48,  40, 30",
            "20, 10, 40x40f,   0,  0, 20, 10,  20, 10",
            "64, 48, 0x20,     0,  0, 64, 48,  27, 20",
            "64, 48, 32x0,     0,  0, 64, 48,  32, 24",
            "10, 10, 100x100,  0,  0, 10, 10, 100, 100",
            "4000, 3000, 100x100, 500, 0, 3000, 3000, 100, 100",
    })
    void geometryFollowsPocketBase(int w, int h, String size, int x, int y, int cw, int ch, int tw, int th) {
        ThumbImage.Plan p = ThumbImage.plan(w, h, ThumbSize.parse(size).orElseThrow());
        assertThat(p.crop()).isEqualTo(new Rectangle(x, y, cw, ch));
        assertThat(p.width() + "x" + p.height()).isEqualTo(tw + "x" + th);
    }

    @Test
    void sizesOutOfBoundsAreNoSizes() {
        assertThat(ThumbSize.parse("0x0")).isEmpty();
        assertThat(ThumbSize.parse("2001x10")).isEmpty();
        assertThat(ThumbSize.parse("10x10q")).isEmpty();
        assertThat(ThumbSize.parse("2000x0f").orElseThrow().toString()).isEqualTo("2000x0f");
    }

    @Test
    void aLargePhotoIsDecodedSubsampled() throws Exception {
        BufferedImage photo = new BufferedImage(4000, 3000, BufferedImage.TYPE_3BYTE_BGR);
        for (int x = 0; x < 4000; x += 7) photo.setRGB(x, x % 3000, 0xFFFFFF);
        Path source = dir.resolve("photo.jpg");
        ImageIO.write(photo, "jpeg", source.toFile());
        photo = null;
        ThumbImage.Plan plan = ThumbImage.plan(4000, 3000, ThumbSize.parse("100x100").orElseThrow());
        assertThat(ThumbImage.subsampling(plan)).as("3000 px of crop, read every 15th: twice the output").isEqualTo(15);
        Path out = dir.resolve("thumb.jpg");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThat(ThumbImage.write(source, ThumbSize.parse("100x100").orElseThrow(), "jpeg", out)).isTrue();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("heap allocated for a 12-megapixel source (a full bitmap would be 36 MB)").isLessThan(8L << 20);
        BufferedImage thumb = ImageIO.read(out.toFile());
        assertThat(thumb.getWidth() + "x" + thumb.getHeight()).isEqualTo("100x100");
    }

    @Test
    void webpIsReadByThePlugIn() throws Exception {
        Path source = dir.resolve("dot.webp");
        Files.write(source, Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="));
        Path out = dir.resolve("dot.png");
        assertThat(ThumbImage.write(source, ThumbSize.parse("0x20").orElseThrow(), ThumbImage.format("dot.webp"), out)).isTrue();
        BufferedImage thumb = ImageIO.read(out.toFile());
        assertThat(thumb.getWidth() + "x" + thumb.getHeight()).isEqualTo("20x20");
    }

    @Test
    void whatIsNoImageGetsNoThumbnail() throws Exception {
        Path source = dir.resolve("fake.png");
        Files.writeString(source, "just text");
        assertThat(ThumbImage.write(source, ThumbSize.parse("100x100").orElseThrow(), "png", dir.resolve("out.png"))).isFalse();
    }
}
