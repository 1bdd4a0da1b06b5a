package dev.nanodb.crons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cron expressions as PocketBase writes them: five UNIX fields or a macro, due at whole UTC minutes. */
class CronScheduleTest {
    @ParameterizedTest(name = "{0} is due at {1}: {2}")
    @CsvSource({
            "'*/5 * * * *', 2024-09-13T10:05:00Z, true",
            "'*/5 * * * *', 2024-09-13T10:06:00Z, false",
            "'0 */6 * * *', 2024-09-13T12:00:00Z, true",
            "'0 */6 * * *', 2024-09-13T13:00:00Z, false",
            "'1-30/2 * * * *', 2024-09-13T13:03:00Z, true",
            "'1-30/2 * * * *', 2024-09-13T13:04:00Z, false",
            "'0 0 1 1 *', 2025-01-01T00:00:00Z, true",
            "@yearly, 2025-01-01T00:00:00Z, true",
            "@annually, 2025-01-02T00:00:00Z, false",
            "@monthly, 2024-10-01T00:00:00Z, true",
            "@weekly, 2024-09-15T00:00:00Z, true",
            "@weekly, 2024-09-16T00:00:00Z, false",
            "@daily, 2024-09-16T00:00:00Z, true",
            "@midnight, 2024-09-16T00:01:00Z, false",
            "@hourly, 2024-09-16T07:00:00Z, true",
            "@hourly, 2024-09-16T07:30:00Z, false",
            "'30 2 * * 1-5', 2024-09-16T02:30:00Z, true",
            "'30 2 * * 1-5', 2024-09-15T02:30:00Z, false"})
    void dueAtWholeMinutes(String expression, String at, boolean due) {
        assertThat(CronSchedule.parse(expression).due(Instant.parse(at))).isEqualTo(due);
    }

    @Test
    void secondsWithinTheMinuteDoNotMatter() {
        assertThat(CronSchedule.parse("*/5 * * * *").due(Instant.parse("2024-09-13T10:05:59.999Z"))).isTrue();
        assertThat(CronSchedule.parse("@daily").expression()).isEqualTo("@daily");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", " ", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "a b c d e", "@often",
            "0 0 L * *", "0 0 ? * 1", "*/0 * * * *"})
    void invalidExpressionsAreRefusedWithAMessage(String expression) {
        assertThatThrownBy(() -> CronSchedule.parse(expression)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cron");
        assertThat(CronSchedule.problem(expression)).isNotBlank();
    }

    @Test
    void anOverlongExpressionIsRefused() {
        assertThat(CronSchedule.problem("1,".repeat(200) + "2 * * * *")).isNotNull();
        assertThat(CronSchedule.problem("0 0 * * *")).isNull();
    }
}
