package dev.nanodb.filter;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to a value resolved at evaluation time: a record field ({@code title},
 * {@code author.name}), a request value ({@code @request.auth.id}), another collection
 * ({@code @collection.posts.title}) or a macro ({@code @now}).
 *
 * <p>Invariant: {@code path} matches {@code @?[A-Za-z_][A-Za-z0-9_]*(:mod)?(\.[A-Za-z0-9_]+(:mod)?)*} (a segment may
 * carry one {@code :modifier} such as {@code :lower}, or a {@code @collection} alias) and is not
 * one of the keywords {@code true}, {@code false}, {@code null}. The path is kept exactly as written,
 * including the leading {@code @}, so that it prints back to the same token and the resolver alone
 * decides what each prefix means.
 *
 * @param path the dotted path as written
 */
public record Field(String path) implements Operand {

    private static final Pattern PATH = Pattern.compile("@?[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_]*)?(\\.[A-Za-z0-9_]+(:[A-Za-z_][A-Za-z0-9_]*)?)*");

    /** @throws IllegalArgumentException if {@code path} is not a valid field path */
    public Field {
        Objects.requireNonNull(path, "path");
        if (!isValidPath(path)) {
            throw new IllegalArgumentException("invalid field path: " + path);
        }
    }

    /**
     * Whether {@code path} can be a field: it has identifier syntax and is not a keyword that would
     * lex as a literal.
     */
    public static boolean isValidPath(String path) {
        return path != null
                && !isKeyword(path)
                && PATH.matcher(path).matches();
    }

    static boolean isKeyword(String word) {
        return word.equals("true") || word.equals("false") || word.equals("null");
    }

    /** The modifier of the last segment ({@code lower} for {@code name:lower}), or null. */
    public String modifier() {
        int dot = path.lastIndexOf('.');
        int colon = path.lastIndexOf(':');
        return colon > dot ? path.substring(colon + 1) : null;
    }

    /** The path without the modifier of its last segment. */
    public String base() {
        int dot = path.lastIndexOf('.');
        int colon = path.lastIndexOf(':');
        return colon > dot ? path.substring(0, colon) : path;
    }

    /** Whether this refers to the current request ({@code @request.…}) rather than stored data. */
    public boolean isRequestRef() {
        return path.startsWith("@request.");
    }

    /** Whether this refers to records of another collection ({@code @collection.…}). */
    public boolean isCollectionRef() {
        return path.startsWith("@collection.");
    }
}
