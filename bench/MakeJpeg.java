// bench/MakeJpeg.java: writes the files phase's test photo, run by bench/run as a single-file source program
// (`java bench/MakeJpeg.java OUT.jpg WIDTH HEIGHT`) on the JDK it already uses: the bench's Python has no image
// library. The picture is smooth colour gradients and waves with per-pixel noise, so that it compresses about
// like a photograph (a few MB for 12 megapixels at quality 0.9) rather than like a flat image, whose entropy-coded
// data would be far smaller and faster to decode. Seeded: every run writes the same bytes.
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

public class MakeJpeg {
    public static void main(String[] args) throws Exception {
        File out = new File(args[0]);
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(15);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double wave = Math.sin(x / 37.0 + Math.cos(y / 53.0) * 3) * 40 + Math.sin((x + y) / 11.0) * 12;
                int r = clamp(255.0 * x / w + wave + rnd.nextGaussian() * 10);
                int g = clamp(255.0 * y / h - wave + rnd.nextGaussian() * 10);
                int b = clamp(128 + Math.sin(x * y / 90000.0) * 90 + rnd.nextGaussian() * 10);
                row[x] = r << 16 | g << 8 | b;
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
