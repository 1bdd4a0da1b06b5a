package dev.nanodb.store;

import java.util.Map;

/**
 * Figures for {@code /api/stats}: records per collection, bytes on disk, and how well commits are grouped
 * ({@code writesCommitted / commits} is the average group size).
 */
public record StoreStats(Map<String, Long> recordsPerCollection, long sizeBytes, long commits, long writesCommitted,
                         long maxGroup) {}
