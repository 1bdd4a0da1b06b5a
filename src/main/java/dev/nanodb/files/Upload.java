package dev.nanodb.files;

import java.nio.file.Path;

/**
 * One file part of a multipart request, already streamed to a temporary file by the HTTP layer (which deletes it
 * when the request ends).
 *
 * @param part     the form field it came in: a file field's name, or {@code name+} / {@code +name} to append or
 *                 prepend (PocketBase's modifiers)
 * @param filename the name the client gave, untrusted
 */
public record Upload(String part, String filename, Path path, long size) {
    /** The file field the part names, without a modifier. */
    public String field() {
        return fieldOf(part);
    }

    /** The file field a part name ({@code avatar}, {@code files+}, {@code +files}) names. */
    public static String fieldOf(String part) {
        String f = part.startsWith("+") ? part.substring(1) : part;
        return f.endsWith("+") ? f.substring(0, f.length() - 1) : f;
    }
}
