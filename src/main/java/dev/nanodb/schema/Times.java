package dev.nanodb.schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as ISO-8601 UTC with milliseconds ({@code 2026-01-31T12:00:00.000Z}). This fixed-width form sorts
 * lexicographically in time order, which is what lets a string index order records by time.
 */
public final class Times {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** PocketBase's own form ({@code 2026-01-31 12:00:00.000Z}), used where NanoDB answers in PocketBase's shape. */
    private static final DateTimeFormatter POCKETBASE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    public static String formatPocketBase(Instant t) {
        return POCKETBASE.format(t);
    }

    public static String now() {
        return format(Instant.now());
    }

    public static String format(Instant t) {
        return FORMAT.format(t);
    }

    /**
     * Parses the date forms clients send: ISO-8601 instants with any offset, PocketBase's
     * {@code 2026-01-31 12:00:00.000Z}, and plain dates ({@code 2026-01-31}, taken as midnight UTC).
     *
     * @return the canonical form, or null when the text is not a date
     */
    public static String normalize(String text) {
        String s = text.strip();
        if (s.length() == 10) {
            try {
                return format(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (s.length() > 10 && s.charAt(10) == ' ') s = s.substring(0, 10) + 'T' + s.substring(11);
        try {
            return format(java.time.OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return format(java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
