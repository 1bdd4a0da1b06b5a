package dev.nanodb.files;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * A photo's EXIF orientation (1–8): how its stored pixels are turned or mirrored from how it is meant to be seen.
 * Thumbnails are made upright, as PocketBase makes them: the part to show is chosen in the upright picture, read
 * from the stored pixels ({@link #source}) and turned once decoded ({@link #upright}).
 */
final class Orientation {
    private Orientation() {}

    /** The orientation of a JPEG's EXIF data; 1 (as stored) when there is none or it cannot be read. */
    static int of(Path jpeg) {
        try (ImageInputStream in = ImageIO.createImageInputStream(jpeg.toFile())) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) return 1;
            InputStream data = exif.get(0).data();
            if (data.read() < 0) return 1; // the pad byte after "Exif\0"
            try (ImageInputStream tiff = ImageIO.createImageInputStream(data)) {
                Directory d = new TIFFReader().read(tiff);
                Entry e = d.getEntryById(TIFF.TAG_ORIENTATION);
                int o = e != null && e.getValue() instanceof Number n ? n.intValue() : 1;
                return o >= 1 && o <= 8 ? o : 1;
            }
        } catch (Exception | LinkageError unreadable) {
            return 1;
        }
    }

    /** Whether the upright picture's width is the stored height (a quarter turn). */
    static boolean turned(int o) {
        return o >= 5;
    }

    /** The stored pixels that show as {@code r} of the upright picture; {@code w}×{@code h} is the stored size. */
    static Rectangle source(Rectangle r, int o, int w, int h) {
        return switch (o) {
            case 2 -> new Rectangle(w - r.x - r.width, r.y, r.width, r.height);
            case 3 -> new Rectangle(w - r.x - r.width, h - r.y - r.height, r.width, r.height);
            case 4 -> new Rectangle(r.x, h - r.y - r.height, r.width, r.height);
            case 5 -> new Rectangle(r.y, r.x, r.height, r.width);
            case 6 -> new Rectangle(r.y, h - r.x - r.width, r.height, r.width);
            case 7 -> new Rectangle(w - r.y - r.height, h - r.x - r.width, r.height, r.width);
            case 8 -> new Rectangle(w - r.y - r.height, r.x, r.height, r.width);
            default -> r;
        };
    }

    /** Decoded stored pixels turned and mirrored upright. */
    static BufferedImage upright(BufferedImage img, int o) {
        if (o == 1) return img;
        int w = img.getWidth();
        int h = img.getHeight();
        AffineTransform t = switch (o) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            default -> new AffineTransform(0, -1, 1, 0, 0, w);
        };
        BufferedImage out = new BufferedImage(turned(o) ? h : w, turned(o) ? w : h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
