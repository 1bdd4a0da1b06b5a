package dev.nanodb.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Log entry ids: 15 characters {@code [0-9a-z]}, the creation millisecond in base 36 (9 characters, enough until
 * the year 5138) followed by a sequence number in base 36 (6 characters). Fixed width, so the ids sort as text in
 * the order of their {@code created} stamp (ties by sequence), and a store keyed by id walks entries in time order
 * without a separate index: the newest page, an age cut-off and the per-hour statistics are key-order walks.
 */
public final class LogIds {
    public static final int LENGTH = 15;
    /** Greater than or equal to every id. */
    static final String LAST = "z".repeat(LENGTH);
    private static final int TIME_DIGITS = 9;
    private static final int SEQ_DIGITS = 6;
    private static final long SEQ_MOD = 2_176_782_336L; // 36^6
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LogIds() {}

    /** The id of the entry created at {@code millis} with sequence number {@code seq} (taken modulo 36^6). */
    public static String of(long millis, long seq) {
        return pad(Long.toString(millis, 36), TIME_DIGITS) + pad(Long.toString(Math.floorMod(seq, SEQ_MOD), 36), SEQ_DIGITS);
    }

    /** The greatest id an entry created at or before {@code millis} can have. */
    public static String lastAt(long millis) {
        return of(millis, SEQ_MOD - 1);
    }

    /** The creation millisecond an id names; -1 when the text is not a log id. */
    public static long millis(String id) {
        if (!valid(id)) return -1;
        return Long.parseLong(id, 0, TIME_DIGITS, 36);
    }

    public static boolean valid(String id) {
        if (id == null || id.length() != LENGTH) return false;
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) return false;
        }
        return true;
    }

    /** NanoDB's date form, as records have it: {@code 2026-12-07T19:04:05.123Z}. */
    public static String created(long millis) {
        return CREATED.format(Instant.ofEpochMilli(millis));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
