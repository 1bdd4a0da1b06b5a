package dev.nanodb.crons;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A parsed cron expression: five UNIX fields (minute, hour, day of month, month, day of week: {@code *}, ranges,
 * steps, lists), or one of PocketBase's macros ({@code @yearly}, {@code @annually}, {@code @monthly},
 * {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}), evaluated in UTC at whole minutes.
 *
 * <p>Parsing is cron-utils' UNIX definition, so a day of month and a day of week both restricted match either
 * (UNIX cron's rule; PocketBase requires both) and {@code 7} is Sunday too; docs/API.md records the difference.
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final int MAX_LENGTH = 255;

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, ExecutionTime times) {
        this.expression = expression;
        this.times = times;
    }

    /** @throws IllegalArgumentException with a message fit for the client that sent {@code expression} */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank() || expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Must be a cron macro or 5 space separated fields (minute hour day month weekday).");
        }
        String fields = MACROS.getOrDefault(expression, expression);
        try {
            var cron = PARSER.parse(fields);
            cron.validate();
            return new CronSchedule(expression, ExecutionTime.forCron(cron));
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? "invalid" : e.getMessage().replaceAll("[\\r\\n]+", " ");
            throw new IllegalArgumentException("Invalid cron expression: " + (why.length() > 200 ? why.substring(0, 200) : why));
        }
    }

    /** Why {@code expression} is not a valid schedule, or null when it is. */
    public static String problem(String expression) {
        try {
            parse(expression);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public String expression() {
        return expression;
    }

    /** Whether a run is due at the minute holding {@code t} (UTC). */
    public boolean due(Instant t) {
        return times.isMatch(t.truncatedTo(ChronoUnit.MINUTES).atZone(ZoneOffset.UTC));
    }
}
