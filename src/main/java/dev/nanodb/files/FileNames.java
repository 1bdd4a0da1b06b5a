package dev.nanodb.files;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The name a file is stored under, made from the name a client sent, as PocketBase names them: the base name in
 * snake case (at most 100 characters; a random part when fewer than 3 remain), an underscore, 10 random characters
 * and the original extension (letters and digits, at most 20): {@code My Photo.PNG → my_photo_ab12cd34ef.PNG}.
 *
 * <p>Invariant: the result is one safe path segment ({@link FileKey#validSegment}) — no directory, no control
 * character, no {@code ..}, no leading dot — whatever the input, and two calls never return the same name in
 * practice (50 random bits), so a stored name is never reused for other bytes.
 */
public final class FileNames {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_BASE = 100;
    private static final int MAX_EXT = 20;

    private FileNames() {}

    /** What a file of a sniffed type is named with when the client gave no extension (PocketBase detects one too). */
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"), Map.entry("image/webp", "webp"),
            Map.entry("image/bmp", "bmp"), Map.entry("image/svg+xml", "svg"), Map.entry("application/pdf", "pdf"),
            Map.entry("video/mp4", "mp4"), Map.entry("video/quicktime", "mov"), Map.entry("text/plain", "txt"),
            Map.entry("text/html", "html"), Map.entry("application/xml", "xml"));

    /** @param original the client's file name, possibly with a path, possibly empty or null */
    public static String stored(String original) {
        return stored(original, () -> "application/octet-stream");
    }

    /**
     * As {@link #stored(String)}; a name without an extension gets the one of the file's sniffed type
     * ({@code blob} holding a PNG → {@code blob_ab12cd34ef.png}), asked for only then.
     */
    public static String stored(String original, Supplier<String> sniffedType) {
        String name = original == null ? "" : original;
        if (name.length() > 300) name = name.substring(name.length() - 300);
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot + 1).replaceAll("[^A-Za-z0-9]", "") : "";
        if (ext.length() > MAX_EXT) ext = ext.substring(ext.length() - MAX_EXT);
        if (ext.isEmpty()) ext = EXTENSIONS.getOrDefault(sniffedType.get(), "");
        String base = snake(dot > 0 ? name.substring(0, dot) : name);
        if (base.length() < 3) base = base + random(10);
        if (base.length() > MAX_BASE) base = base.substring(0, MAX_BASE);
        return base + "_" + random(10) + (ext.isEmpty() ? "" : "." + ext);
    }

    /** Lower case ASCII letters and digits, runs of anything else as one underscore, none at either end. */
    private static String snake(String s) {
        String ascii = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        StringBuilder out = new StringBuilder();
        char prev = 0;
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(prev) && c < 128) out.append('_');
            if (c < 128 && Character.isLetterOrDigit(c)) out.append(Character.toLowerCase(c));
            else if (out.length() > 0 && out.charAt(out.length() - 1) != '_') out.append('_');
            prev = c;
        }
        while (out.length() > 0 && out.charAt(out.length() - 1) == '_') out.setLength(out.length() - 1);
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static String random(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        return new String(c);
    }
}
