package dev.nanodb.store;

/**
 * One sort term: a field path and a direction. The reserved field {@link #RANDOM} orders the matching records
 * randomly (a fresh order for every query; its direction means nothing): each backend draws one random key per
 * record for the query, so a page is a random sample of every match, and ties still fall back to id.
 */
public record SortKey(String field, boolean descending) {
    /** PocketBase's {@code @random}. */
    public static final String RANDOM = "@random";

    public boolean random() {
        return RANDOM.equals(field);
    }
}
