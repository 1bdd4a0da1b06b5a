package dev.nanodb.files;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A thumbnail size as PocketBase writes it: {@code WxH} (fill, cropped from the center), {@code WxHt} / {@code WxHb}
 * (fill, cropped from the top / bottom), {@code WxHf} (fit inside, never enlarged), {@code 0xH} / {@code Wx0} (one
 * side given, the other follows the aspect ratio).
 *
 * <p>Invariant: at least one side is non-zero and no side exceeds {@link #MAX_SIDE}, so that one thumbnail's bitmap
 * stays within a few megabytes of heap whatever a field's definition asks for.
 */
public record ThumbSize(int width, int height, Mode mode) {
    /** The size every file field allows (PocketBase's default), besides those its {@code thumbs} option lists. */
    public static final String DEFAULT = "100x100";
    public static final int MAX_SIDE = 2000;
    /** The written form of a size, whatever its numbers ({@link #parse} then judges them). */
    public static final Pattern TEXT = Pattern.compile("(\\d{1,5})x(\\d{1,5})([tbf]?)");

    public enum Mode { CENTER, TOP, BOTTOM, FIT }

    public ThumbSize {
        if (width < 0 || height < 0 || width + height == 0 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("invalid thumbnail size " + width + "x" + height);
        }
    }

    /** The size {@code text} names, or empty when it is malformed, {@code 0x0} or larger than {@link #MAX_SIDE}. */
    public static Optional<ThumbSize> parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) return Optional.empty();
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (w + h == 0 || w > MAX_SIDE || h > MAX_SIDE) return Optional.empty();
        Mode mode = switch (m.group(3)) {
            case "t" -> Mode.TOP;
            case "b" -> Mode.BOTTOM;
            case "f" -> Mode.FIT;
            default -> Mode.CENTER;
        };
        return Optional.of(new ThumbSize(w, h, mode));
    }

    /** The size as written ({@code 100x100}, {@code 0x300}, {@code 100x300f}). */
    @Override
    public String toString() {
        return width + "x" + height + switch (mode) {
            case CENTER -> "";
            case TOP -> "t";
            case BOTTOM -> "b";
            case FIT -> "f";
        };
    }
}
