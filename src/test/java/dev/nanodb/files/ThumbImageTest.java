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
        assertThat(ThumbImage.subsampling(plan)).as("3000 px of crop, read every 15th: twice the output").containsExactly(15, 15);
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

    /**
     * A phone photo stored sideways with EXIF orientation 6 ("turn 90° clockwise to view"): the thumbnail is upright,
     * its stored top-left corner at the top right, as PocketBase makes it.
     */
    @Test
    void aPhotoIsThumbnailedUprightByItsExifOrientation() throws Exception {
        BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = stored.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 64, 32);
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        ImageIO.write(stored, "jpeg", jpeg);
        Path source = dir.resolve("sideways.jpg");
        Files.write(source, withOrientation(jpeg.toByteArray(), 6));
        assertThat(Orientation.of(source)).isEqualTo(6);
        Path out = dir.resolve("upright.jpg");
        assertThat(ThumbImage.write(source, ThumbSize.parse("0x20").orElseThrow(), "jpeg", out)).isTrue();
        BufferedImage thumb = ImageIO.read(out.toFile());
        assertThat(thumb.getWidth() + "x" + thumb.getHeight()).isEqualTo("10x20");
        assertThat(new java.awt.Color(thumb.getRGB(thumb.getWidth() - 2, 1)).getRed()).as("top right: red").isGreaterThan(180);
        assertThat(new java.awt.Color(thumb.getRGB(thumb.getWidth() - 2, 1)).getGreen()).isLessThan(90);
        assertThat(new java.awt.Color(thumb.getRGB(1, thumb.getHeight() - 2)).getGreen()).as("bottom left: white").isGreaterThan(180);
    }

    /** {@code jpeg} with an EXIF APP1 segment holding only the orientation, right after its start marker. */
    private static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        byte[] header = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + header.length + tiff.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(header);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "orientation {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void theStoredPartOfAnUprightCropIsThatCrop(int o) {
        int w = 40;
        int h = 30;
        boolean turned = Orientation.turned(o);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < w; x++) for (int y = 0; y < h; y++) img.setRGB(x, y, x * 256 + y);
        BufferedImage upright = Orientation.upright(img, o);
        assertThat(upright.getWidth() + "x" + upright.getHeight()).isEqualTo(turned ? h + "x" + w : w + "x" + h);
        Rectangle crop = new Rectangle(3, 5, 7, 4);
        Rectangle src = Orientation.source(crop, o, w, h);
        BufferedImage fromSource = Orientation.upright(img.getSubimage(src.x, src.y, src.width, src.height), o);
        for (int x = 0; x < crop.width; x++) {
            for (int y = 0; y < crop.height; y++) {
                assertThat(fromSource.getRGB(x, y)).as("(%d,%d)", x, y).isEqualTo(upright.getRGB(crop.x + x, crop.y + y));
            }
        }
    }

    /** A long thin image is subsampled on its long axis; one too wide for a reader's row buffers is not read. */
    @Test
    void thinAndHugeImagesStayWithinBounds() throws Exception {
        ThumbImage.Plan thin = ThumbImage.plan(100_000, 2, ThumbSize.parse("20x0").orElseThrow());
        int[] step = ThumbImage.subsampling(thin);
        assertThat((long) (thin.crop().width / step[0]) * (thin.crop().height / step[1])).isLessThanOrEqualTo(ThumbImage.DECODE_PIXELS);
        assertThat(thin.crop().width / step[0]).isGreaterThanOrEqualTo(thin.width());
        Path wide = dir.resolve("wide.png");
        ImageIO.write(new BufferedImage(ThumbImage.MAX_SIDE + 1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", wide.toFile());
        assertThat(ThumbImage.write(wide, ThumbSize.parse("100x100").orElseThrow(), "png", dir.resolve("w.png"))).isFalse();
        Path bmp = dir.resolve("bmp-named.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "bmp", bmp.toFile());
        assertThat(ThumbImage.write(bmp, ThumbSize.parse("100x100").orElseThrow(), "png", dir.resolve("b.png")))
                .as("a BMP named .png is no format thumbnails read").isFalse();
    }
}
