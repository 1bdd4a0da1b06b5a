package dev.nanodb.filter;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code strftime(format, time, modifier…)} as SQLite (and so PocketBase) computes it, for the forms both engines
 * implement identically ({@link SqlFunctions} is the PostgreSQL side of every rule here).
 *
 * <ul>
 *   <li>Time: a string {@code YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z|±HH:MM]} (every stored NanoDB date is one);
 *       year 0001–9999, month 1–12, day 1–31 (a day past the month's end runs on into the next, as in SQLite: Feb 31 is Mar 3),
 *       hour 0–23, minute and second 0–59; the fraction rounds half up to milliseconds; an offset is subtracted to
 *       give UTC. The string {@code "now"} is the request's {@code @now}. Anything else — a number (SQLite's Julian
 *       day), null, another text — is not a date, and the result is {@code ""}.</li>
 *   <li>Modifiers, applied in order: {@code start of day|month|year} and {@code ±N days|hours|minutes|seconds}
 *       (N an integer, the unit's singular accepted, at most about 250 years' worth each, so that
 *       PostgreSQL's interval arithmetic stays exact).</li>
 *   <li>Format: {@code %d %f %H %j %m %M %S %w %W %Y %%} with SQLite's meanings ({@code %f} is {@code SS.SSS},
 *       {@code %w} 0 = Sunday, {@code %W} the week of the year with weeks starting on Monday, {@code %j} the day
 *       of the year 001–366); any other specifier is refused when the filter is parsed.</li>
 *   <li>A result outside the years 0001–9999 is {@code ""}.</li>
 * </ul>
 */
final class Strftime {
    /** Longer strings cannot match {@link #TIME}, so they are refused before the regex reads them. */
    static final int MAX_TIME = 80;
    /**
     * The time form, written in the syntax Java and PostgreSQL regular expressions share, without {@code ?} (which
     * the SQL would hold beside its placeholders); the group numbers follow.
     */
    static final String TIME_REGEX = "^([0-9]{4})-([0-9]{2})-([0-9]{2})([ T]([0-9]{2}):([0-9]{2})(:([0-9]{2})"
            + "(\\.([0-9]{1,40})){0,1}){0,1}){0,1}(Z|[+-][0-9]{2}:[0-9]{2}){0,1}$";
    static final int HOUR = 5;
    static final int MINUTE = 6;
    static final int SECOND = 8;
    static final int FRACTION = 10;
    static final int ZONE = 11;
    static final String SPECIFIERS = "dfHjmMSwWY%";
    private static final Pattern TIME = Pattern.compile(TIME_REGEX);
    private static final Pattern SHIFT = Pattern.compile("([+-]?[0-9]{1,12}) (day|hour|minute|second)s?");
    private static final long MAX_SHIFT_SECONDS = 250L * 366 * 86400;

    private Strftime() {}

    /** A parsed modifier: {@code start} truncates to the unit, otherwise {@code amount} units are added. */
    record Modifier(boolean start, ChronoUnit unit, long amount) {}

    /** The modifier written as {@code text}, or null when it is not one this implementation supports. */
    static Modifier modifier(String text) {
        switch (text) {
            case "start of day": return new Modifier(true, ChronoUnit.DAYS, 0);
            case "start of month": return new Modifier(true, ChronoUnit.MONTHS, 0);
            case "start of year": return new Modifier(true, ChronoUnit.YEARS, 0);
            default: break;
        }
        Matcher m = SHIFT.matcher(text);
        if (!m.matches()) return null;
        ChronoUnit unit = switch (m.group(2)) {
            case "day" -> ChronoUnit.DAYS;
            case "hour" -> ChronoUnit.HOURS;
            case "minute" -> ChronoUnit.MINUTES;
            default -> ChronoUnit.SECONDS;
        };
        long amount = Long.parseLong(m.group(1));
        return Math.abs(amount) <= MAX_SHIFT_SECONDS / unit.getDuration().getSeconds() ? new Modifier(false, unit, amount) : null;
    }

    /** Why {@code format} cannot be used, or null. */
    static String formatProblem(String format) {
        for (int i = 0; i < format.length(); i++) {
            if (format.charAt(i) != '%') continue;
            if (i + 1 == format.length() || SPECIFIERS.indexOf(format.charAt(i + 1)) < 0) {
                return "strftime(): unsupported format specifier "
                        + (i + 1 == format.length() ? "'%' at the end" : "'%" + format.charAt(i + 1) + "'")
                        + "; supported: %d %f %H %j %m %M %S %w %W %Y %%";
            }
            i++;
        }
        return null;
    }

    /** The format split into literal text ({@link String}) and specifiers ({@link Character}, {@code %%} as text). */
    static List<Object> pieces(String format) {
        List<Object> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && format.charAt(i + 1) == '%') {
                text.append('%');
                i++;
            } else if (c == '%') {
                if (!text.isEmpty()) out.add(text.toString());
                text.setLength(0);
                out.add(format.charAt(++i));
            } else {
                text.append(c);
            }
        }
        if (!text.isEmpty()) out.add(text.toString());
        return out;
    }

    /** The result for the call's time value (already resolved). */
    static String apply(Call call, Object time) {
        LocalDateTime t = time instanceof String s ? parse(s) : null;
        if (t == null) return "";
        for (Operand m : call.args().subList(2, call.args().size())) {
            t = modify(t, modifier((String) ((Literal) m).value()));
        }
        if (t.getYear() < 1 || t.getYear() > 9999) return "";
        StringBuilder out = new StringBuilder();
        for (Object p : pieces((String) ((Literal) call.args().get(0)).value())) {
            if (p instanceof String s) out.append(s);
            else out.append(field((Character) p, t));
        }
        return out.toString();
    }

    static LocalDateTime parse(String s) {
        if (s.length() > MAX_TIME) return null;
        Matcher m = TIME.matcher(s);
        if (!m.matches()) return null;
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        int hour = m.group(HOUR) == null ? 0 : Integer.parseInt(m.group(HOUR));
        int minute = m.group(MINUTE) == null ? 0 : Integer.parseInt(m.group(MINUTE));
        int second = m.group(SECOND) == null ? 0 : Integer.parseInt(m.group(SECOND));
        int year = Integer.parseInt(m.group(1));
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
        LocalDateTime t = LocalDateTime.of(year, 1, 1, hour, minute, second)
                .plusMonths(month - 1).plusDays(day - 1).plusNanos(millis(m.group(FRACTION)) * 1_000_000L);
        String zone = m.group(ZONE);
        if (zone == null || zone.equals("Z")) return t;
        int offset = Integer.parseInt(zone.substring(1, 3)) * 60 + Integer.parseInt(zone.substring(4, 6));
        return t.minusMinutes(zone.charAt(0) == '-' ? -offset : offset);
    }

    /** A fraction of a second rounded half up to milliseconds: only its first four digits decide. */
    static int millis(String fraction) {
        if (fraction == null) return 0;
        String four = (fraction + "000").substring(0, 4);
        return (Integer.parseInt(four) + 5) / 10;
    }

    private static LocalDateTime modify(LocalDateTime t, Modifier m) {
        if (!m.start()) return t.plus(m.amount(), m.unit());
        LocalDateTime day = t.truncatedTo(ChronoUnit.DAYS);
        return switch (m.unit()) {
            case MONTHS -> day.withDayOfMonth(1);
            case YEARS -> day.withDayOfYear(1);
            default -> day;
        };
    }

    private static String field(char spec, LocalDateTime t) {
        return switch (spec) {
            case 'd' -> two(t.getDayOfMonth());
            case 'f' -> two(t.getSecond()) + "." + String.format("%03d", t.getNano() / 1_000_000);
            case 'H' -> two(t.getHour());
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'S' -> two(t.getSecond());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'W' -> two((t.getDayOfYear() - 1 + 7 - (t.getDayOfWeek().getValue() - 1)) / 7);
            default -> String.format("%04d", t.getYear());
        };
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
