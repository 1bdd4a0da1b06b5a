package dev.nanodb.filter;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * PocketBase's date macros ({@code @now}, {@code @todayStart}, {@code @year}, …): values computed from one instant
 * in UTC, so every macro of one request (or one realtime event) describes the same moment.
 *
 * <p>Dates are strings in NanoDB's stored form ({@code 2026-01-31T12:00:00.000Z}, millisecond precision,
 * truncated), not PocketBase's {@code 2026-01-31 12:00:00.000Z}: compared as strings with stored dates, only the
 * same form orders correctly. The {@code …End} macros are the last millisecond of their period. The numeric
 * macros are {@link Long}s; {@code @weekday} counts from Sunday = 0, {@code @month} from January = 1.
 */
public final class Macros {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> NAMES = Set.of("@now", "@second", "@minute", "@hour", "@weekday", "@day",
            "@month", "@year", "@todayStart", "@todayEnd", "@monthStart", "@monthEnd", "@yearStart", "@yearEnd",
            "@yesterday", "@tomorrow");

    private Macros() {}

    /** Whether {@code path} (as written, without a modifier) names a macro. */
    public static boolean isMacro(String path) {
        return NAMES.contains(path);
    }

    /**
     * The value of macro {@code name} at {@code now}.
     *
     * @throws IllegalArgumentException when {@code name} is not a macro
     */
    public static Object value(String name, Instant now) {
        LocalDateTime t = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        LocalDate today = t.toLocalDate();
        Object v = switch (name) {
            case "@now" -> now;
            case "@second" -> (long) t.getSecond();
            case "@minute" -> (long) t.getMinute();
            case "@hour" -> (long) t.getHour();
            case "@weekday" -> (long) (t.getDayOfWeek().getValue() % 7);
            case "@day" -> (long) t.getDayOfMonth();
            case "@month" -> (long) t.getMonthValue();
            case "@year" -> (long) t.getYear();
            case "@todayStart" -> start(today);
            case "@todayEnd" -> start(today.plusDays(1)).minusMillis(1);
            case "@monthStart" -> start(today.withDayOfMonth(1));
            case "@monthEnd" -> start(today.withDayOfMonth(1).plusMonths(1)).minusMillis(1);
            case "@yearStart" -> start(today.withDayOfYear(1));
            case "@yearEnd" -> start(today.withDayOfYear(1).plusYears(1)).minusMillis(1);
            case "@yesterday" -> now.minus(1, ChronoUnit.DAYS);
            case "@tomorrow" -> now.plus(1, ChronoUnit.DAYS);
            default -> throw new IllegalArgumentException("not a macro: " + name);
        };
        return v instanceof Instant i ? FORMAT.format(i) : v;
    }

    private static Instant start(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
