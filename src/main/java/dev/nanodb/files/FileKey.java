package dev.nanodb.files;

import java.util.regex.Pattern;

/**
 * Where one file of one record is stored: {@code <collectionId>/<recordId>/<name>}, the layout PocketBase uses,
 * so that a record's files are one prefix (deleted together, listed together).
 *
 * <p>Invariant: each part is a single path segment of {@code [A-Za-z0-9_.=+#*-]} characters that does not start
 * with a dot, so a key can never name a path outside its record's folder, whatever the storage.
 */
public record FileKey(String collectionId, String recordId, String name) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_=+#*-][A-Za-z0-9_.=+#*-]{0,299}");

    public FileKey {
        check(collectionId, "collection id");
        check(recordId, "record id");
        check(name, "file name");
    }

    /** Whether {@code s} may be one part of a key. */
    public static boolean validSegment(String s) {
        return s != null && SEGMENT.matcher(s).matches();
    }

    /** The key of a record's folder: every file of the record starts with it. */
    public static String prefix(String collectionId, String recordId) {
        check(collectionId, "collection id");
        check(recordId, "record id");
        return collectionId + "/" + recordId + "/";
    }

    /** The parsed key, or null when {@code text} is not one. */
    public static FileKey parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || !validSegment(parts[0]) || !validSegment(parts[1]) || !validSegment(parts[2])) return null;
        return new FileKey(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return collectionId + "/" + recordId + "/" + name;
    }

    private static void check(String s, String what) {
        if (!validSegment(s)) throw new IllegalArgumentException("invalid " + what + ": " + s);
    }
}
