package dev.nanodb.filter;

/**
 * A filter that cannot be accepted: malformed text, text beyond the parser limits, or an invalid
 * equality map.
 *
 * <p>Unchecked because filters usually arrive from HTTP query strings, where the only sensible
 * handling is to turn the exception into a 400 response at the edge. The message is meant to be shown
 * to the API client verbatim, e.g. {@code unexpected ')' at position 12}.
 */
public class FilterSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    /**
     * @param problem  what is wrong, e.g. {@code unexpected ')'}
     * @param position 0-based character offset in the filter text
     */
    public FilterSyntaxException(String problem, int position) {
        super(problem + " at position " + position);
        this.position = position;
    }

    /** For errors not tied to a text offset (such as an invalid equality map); {@link #position()} is -1. */
    public FilterSyntaxException(String message) {
        super(message);
        this.position = -1;
    }

    FilterSyntaxException(String problem, int position, String expected) {
        super(problem + " at position " + position + "; expected " + expected);
        this.position = position;
    }

    /** 0-based character offset of the offending input, or -1 when there is no source text. */
    public int position() {
        return position;
    }
}
