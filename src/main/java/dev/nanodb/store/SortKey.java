package dev.nanodb.store;

/** One sort term: a field path and a direction. */
public record SortKey(String field, boolean descending) {}
