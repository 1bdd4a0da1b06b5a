package dev.nanodb.files;

import java.util.regex.Pattern;

/**
 * Where one file of one record is stored: {@code <collectionId>/<recordId>/<name>}, the layout PocketBase uses, so
 * that a record's files are one prefix (deleted together, listed together); a thumbnail of that file is
 * {@code <collectionId>/<recordId>/thumbs_<name>/<size>_<name>}, also PocketBase's layout.
 *
 * <p>Invariant: each of collection id, record id and name is a single path segment of {@code [A-Za-z0-9_.=+#*-]}
 * characters that does not start with a dot, and {@code thumb} is null or a {@link ThumbSize} as written, so a key
 * can never name a path outside its record's folder, whatever the storage. A thumbnail's key carries its original's
 * name, so whatever decides whether a file is still wanted (the sweep) decides for its thumbnails too.
 */
public record FileKey(String collectionId, String recordId, String name, String thumb) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_=+#*-][A-Za-z0-9_.=+#*-]{0,299}");
    private static final String THUMBS = "thumbs_";

    public FileKey {
        check(collectionId, "collection id");
        check(recordId, "record id");
        check(name, "file name");
        if (thumb != null && ThumbSize.parse(thumb).filter(s -> s.toString().equals(thumb)).isEmpty()) {
            throw new IllegalArgumentException("invalid thumbnail size: " + thumb);
        }
    }

    /** The key of a record's file (not a thumbnail). */
    public FileKey(String collectionId, String recordId, String name) {
        this(collectionId, recordId, name, null);
    }

    /** The key of this file's thumbnail of {@code size}. */
    public FileKey thumbnail(ThumbSize size) {
        return new FileKey(collectionId, recordId, name, size.toString());
    }

    /** The key of the file this one is a thumbnail of, or this key itself. */
    public FileKey original() {
        return thumb == null ? this : new FileKey(collectionId, recordId, name);
    }

    /** The prefix every thumbnail of this file starts with. */
    public String thumbnailsPrefix() {
        return collectionId + "/" + recordId + "/" + THUMBS + name + "/";
    }

    /** The last segment of the key: the name, or {@code <size>_<name>} for a thumbnail (what a download is called). */
    public String fileName() {
        return thumb == null ? name : thumb + "_" + name;
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
        if (parts.length == 3) {
            return validSegment(parts[0]) && validSegment(parts[1]) && validSegment(parts[2])
                    ? new FileKey(parts[0], parts[1], parts[2]) : null;
        }
        if (parts.length != 4 || !parts[2].startsWith(THUMBS)) return null;
        String name = parts[2].substring(THUMBS.length());
        int cut = parts[3].indexOf('_');
        if (cut < 0 || !parts[3].substring(cut + 1).equals(name)) return null;
        String size = parts[3].substring(0, cut);
        if (!validSegment(parts[0]) || !validSegment(parts[1]) || !validSegment(name)
                || ThumbSize.parse(size).filter(s -> s.toString().equals(size)).isEmpty()) {
            return null;
        }
        return new FileKey(parts[0], parts[1], name, size);
    }

    @Override
    public String toString() {
        return thumb == null ? collectionId + "/" + recordId + "/" + name : thumbnailsPrefix() + fileName();
    }

    private static void check(String s, String what) {
        if (!validSegment(s)) throw new IllegalArgumentException("invalid " + what + ": " + s);
    }
}
