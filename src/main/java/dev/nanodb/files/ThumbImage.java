package dev.nanodb.files;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Makes one thumbnail from an image file with the JDK's ImageIO (plus the TwelveMonkeys readers on the class path:
 * JPEG variants the JDK refuses, WebP). Output: JPEG for a JPEG original, GIF for a GIF (its first frame), PNG
 * otherwise, upright by the photo's EXIF orientation ({@link Orientation}) — as PocketBase does.
 *
 * <p>Memory bound: only the part of the image the thumbnail shows is decoded, subsampled while reading to about
 * twice the thumbnail's size and never more than {@link #DECODE_PIXELS} pixels, so a 24-megapixel photo needs a
 * bitmap of well under a megabyte for a 100x100 thumbnail. Images with a side above {@link #MAX_SIDE}, larger than
 * {@link #MAX_PIXELS} (or, for WebP,
 * whose reader decodes whole frames, {@link #MAX_WEBP_PIXELS}) and outputs larger than {@link #MAX_OUTPUT_PIXELS}
 * are not thumbnailed; the caller then serves the original.
 */
final class ThumbImage {
    static final long MAX_PIXELS = 100_000_000L;
    /** Longest side read: a reader's row buffers grow with the width, whatever part is asked for. */
    static final int MAX_SIDE = 20_000;
    static final long MAX_WEBP_PIXELS = 16_000_000L;
    static final long DECODE_PIXELS = 4_000_000L;
    static final long MAX_OUTPUT_PIXELS = 4_000_000L;

    /** The formats read (by the reader's own name for the bytes, not the file's name): PocketBase's image types. */
    private static final java.util.Set<String> READ = java.util.Set.of("png", "jpeg", "jpg", "gif", "webp");

    private ThumbImage() {}

    /** Which part of the source is shown, and at what size. */
    record Plan(Rectangle crop, int width, int height) {}

    /** The format of the thumbnail of a file named {@code original} ({@code jpeg}, {@code gif} or {@code png}). */
    static String format(String original) {
        String n = original.toLowerCase(Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "jpeg";
        return n.endsWith(".gif") ? "gif" : "png";
    }

    /** Whether a file so named may have a thumbnail: PocketBase's image types by extension. */
    static boolean thumbnailable(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".gif") || n.endsWith(".webp");
    }

    /**
     * Writes the thumbnail of {@code source} at {@code size} to {@code target} in {@code format}.
     *
     * @return false when the file is no image a reader knows, or too large (nothing written)
     */
    static boolean write(Path source, ThumbSize size, String format, Path target) throws IOException {
        BufferedImage decoded;
        Plan plan;
        int orientation = 1;
        try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) return false;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                String kind = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!READ.contains(kind) || w > MAX_SIDE || h > MAX_SIDE) return false;
                if ((long) w * h > (kind.contains("webp") ? MAX_WEBP_PIXELS : MAX_PIXELS)) return false;
                if (kind.contains("jp")) orientation = Orientation.of(source);
                boolean turned = Orientation.turned(orientation);
                plan = plan(turned ? h : w, turned ? w : h, size);
                if ((long) plan.width() * plan.height() > MAX_OUTPUT_PIXELS) return false;
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceRegion(Orientation.source(plan.crop(), orientation, w, h));
                int[] step = subsampling(plan);
                param.setSourceSubsampling(step[0], step[1], 0, 0);
                decoded = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
        BufferedImage out = scale(Orientation.upright(decoded, orientation), plan.width(), plan.height(), !format.equals("jpeg"));
        return ImageIO.write(out, format, target.toFile());
    }

    /** PocketBase's geometry: fill and crop (center, top, bottom), fit without enlarging, or one side given. */
    static Plan plan(int w, int h, ThumbSize size) {
        Rectangle all = new Rectangle(0, 0, w, h);
        if (size.width() == 0 || size.height() == 0) {
            int tw = size.width() == 0 ? Math.max(1, (int) Math.round((double) w * size.height() / h)) : size.width();
            int th = size.height() == 0 ? Math.max(1, (int) Math.round((double) h * size.width() / w)) : size.height();
            return new Plan(all, tw, th);
        }
        if (size.mode() == ThumbSize.Mode.FIT) {
            if (w <= size.width() && h <= size.height()) return new Plan(all, w, h);
            double k = Math.min((double) size.width() / w, (double) size.height() / h);
            return new Plan(all, Math.max(1, (int) Math.round(w * k)), Math.max(1, (int) Math.round(h * k)));
        }
        double k = Math.max((double) size.width() / w, (double) size.height() / h);
        int cw = Math.min(w, Math.max(1, (int) Math.round(size.width() / k)));
        int ch = Math.min(h, Math.max(1, (int) Math.round(size.height() / k)));
        int y = switch (size.mode()) {
            case TOP -> 0;
            case BOTTOM -> h - ch;
            default -> (h - ch) / 2;
        };
        return new Plan(new Rectangle((w - cw) / 2, y, cw, ch), size.width(), size.height());
    }

    /**
     * Every n-th column and m-th row: about twice the output's resolution on each axis, never below it, and within
     * {@link #DECODE_PIXELS} where the output allows (each axis on its own, so a long thin image is not read whole
     * for the sake of its short side).
     */
    static int[] subsampling(Plan p) {
        int mostX = Math.max(1, p.crop().width / p.width());
        int mostY = Math.max(1, p.crop().height / p.height());
        int sx = Math.max(1, mostX / 2);
        int sy = Math.max(1, mostY / 2);
        while ((long) (p.crop().width / sx) * (p.crop().height / sy) > DECODE_PIXELS && (sx < mostX || sy < mostY)) {
            if (sx < mostX && (p.crop().width / sx >= p.crop().height / sy || sy >= mostY)) sx++;
            else sy++;
        }
        return new int[] {sx, sy};
    }

    /** Scales in halving steps (each a bilinear pass, so a large reduction does not alias), then to the exact size. */
    private static BufferedImage scale(BufferedImage src, int width, int height, boolean alpha) {
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage cur = src;
        int w = src.getWidth();
        int h = src.getHeight();
        do {
            w = w / 2 >= width ? w / 2 : width;
            h = h / 2 >= height ? h / 2 : height;
            BufferedImage next = new BufferedImage(w, h, type);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(cur, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            cur = next;
        } while (w != width || h != height);
        return cur;
    }
}
