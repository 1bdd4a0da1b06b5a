package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** strftime, geoDistance and the date macros: parsing, printing and evaluation. */
class FunctionsTest {
    private static final Map<String, Object> RECORD = new HashMap<>();

    static {
        RECORD.put("created", "2023-02-03T04:05:06.789Z");
        RECORD.put("loc.lon", 12.4964);
        RECORD.put("loc.lat", 41.9028);
        RECORD.put("n", 5L);
        RECORD.put("@now", "2026-12-07T17:00:00.000Z");
    }

    private static Object value(String operand) {
        Compare c = (Compare) Filters.parse(operand + " = 1");
        return Evaluator.value(c.left(), RECORD::get, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "strftime('%Y-%m-%d %H:%M:%S', created)|2023-02-03 04:05:06",
        "strftime('%f %j %w %W %%', created)|06.789 034 5 05 %",
        "strftime('%Y', '2024-12-30')|2024",
        "strftime('%W %w %j', '2024-12-30')|53 1 365",
        "strftime('%W', '2023-01-01')|00",
        "strftime('%W', '2023-01-02')|01",
        "strftime('%Y-%m-%d', '2023-02-31')|2023-03-03",
        "strftime('%H:%M', '2023-02-03T23:30:00+02:00')|21:30",
        "strftime('%d %H', '2023-02-03 23:30-01:00')|04 00",
        "strftime('%f', '2023-02-03 04:05:06.1235')|06.124",
        "strftime('%f', '2023-02-03 04:05:06.12349')|06.123",
        "strftime('%S', '2023-02-03 04:05:59.9996')|00",
        "strftime('%Y-%m-%d', created, 'start of month')|2023-02-01",
        "strftime('%Y-%m-%d', created, 'start of year', '+40 days')|2023-02-10",
        "strftime('%Y-%m-%d %H', created, '-5 hours', 'start of day')|2023-02-02 00",
        "strftime('%Y', 'now')|2026",
        "strftime('%Y')|2026",
        "strftime('%Y', 'not a date')|EMPTY",
        "strftime('%Y', n)|EMPTY",
        "strftime('%Y', missing)|EMPTY",
        "strftime('%Y', '2023-13-01')|EMPTY",
        "strftime('%Y', '0000-01-01')|EMPTY",
        "strftime('%Y', '9999-12-31', '+1 day')|EMPTY",
    })
    void strftimeFormatsAsSqlite(String call, String expected) {
        assertThat(value(call)).isEqualTo(expected.equals("EMPTY") ? "" : expected);
    }

    @Test
    void geoDistanceIsPocketBasesFormulaInKilometres() {
        double rome = (Double) value("geoDistance(loc.lon, loc.lat, 12.4964, 41.9028)");
        assertThat(rome).isLessThan(0.001);
        double paris = (Double) value("geoDistance(loc.lon, loc.lat, 2.3522, 48.8566)");
        assertThat(paris).isBetween(1105.0, 1107.0);
        assertThat(Functions.apply(new Call("geoDistance", List.of(new Field("a"), new Field("b"), new Field("c"),
                new Field("d"))), List.of("2.3522", 48.8566, 12.4964, 41.9028))).isEqualTo(paris);
        assertThat(value("geoDistance(missing, loc.lat, 0, 0)")).isNull();
        assertThat(Evaluator.test(Filters.parse("geoDistance(loc.lon, loc.lat, 12.5, 41.9) < 25"), RECORD::get)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "strftime() = 1", "strftime(1, created) = ''", "strftime('%Q', created) = ''", "strftime('%', created) = ''",
        "strftime('%Y', created, 'localtime') = ''", "strftime('%Y', created, '+1 month') = ''",
        "strftime('%Y', created, '+99999999999 days') = ''", "strftime('%Y', true) = ''",
        "strftime('%Y', created, 1) = ''", "strftime('%Y', strftime('%Y', created)) = ''",
        "geoDistance(1, 2, 3) < 1", "geoDistance(1, 2, 3, 4, 5) < 1", "geoDistance('a', 2, 3, 4) < 1",
        "geoDistance(1, 2, 3, true) < 1", "nope(1) = 1", "@now(1) = 1", "geoDistance(1, 2, 3, 4 < 1",
        "geoDistance(1,, 3, 4) < 1", "geoDistance(1 2 3 4) < 1",
        "strftime('%Y', a, 'start of day', 'start of day', 'start of day', 'start of day', 'start of day', 'start of day', 'start of day', 'start of day', 'start of day') = ''",
    })
    void malformedCallsAreSyntaxErrors(String text) {
        assertThatThrownBy(() -> Filters.parse(text)).isInstanceOf(FilterSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "strftime(\"%Y-%m\", created) = \"2023-02\"",
        "geoDistance(loc.lon, loc.lat, 12.5, -41.9) < 25.5",
        "strftime(\"%d\", created, \"start of month\", \"-3 days\") != \"\" && views > 1",
        "\"2023\" = strftime(\"%Y\", @now)",
    })
    void callsPrintAndParseBack(String text) {
        Expr e = Filters.parse(text);
        assertThat(Printer.print(e)).isEqualTo(text);
        assertThat(Filters.parse(Printer.print(e))).isEqualTo(e);
    }

    @Test
    void aCallAloneParsesAsASortTerm() {
        assertThat(Filters.parseCall("geoDistance(loc.lon, loc.lat, 1, 2)").name()).isEqualTo("geoDistance");
        assertThatThrownBy(() -> Filters.parseCall("loc")).isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> Filters.parseCall("geoDistance(a, b, 1, 2) x")).isInstanceOf(FilterSyntaxException.class);
    }

    @Test
    void aCallIsChargedToTheBudget() {
        Expr e = Filters.parse("strftime('%Y%Y%Y%Y%Y%Y%Y%Y%Y%Y', created) = ''");
        assertThatThrownBy(() -> Evaluator.test(e, RECORD::get, new Budget(10))).isInstanceOf(Budget.Exceeded.class);
        assertThat(Evaluator.test(e, RECORD::get, new Budget(1000))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "@now|2023-02-03T04:05:06.007Z", "@yesterday|2023-02-02T04:05:06.007Z", "@tomorrow|2023-02-04T04:05:06.007Z",
        "@second|6", "@minute|5", "@hour|4", "@day|3", "@month|2", "@weekday|5", "@year|2023",
        "@todayStart|2023-02-03T00:00:00.000Z", "@todayEnd|2023-02-03T23:59:59.999Z",
        "@monthStart|2023-02-01T00:00:00.000Z", "@monthEnd|2023-02-28T23:59:59.999Z",
        "@yearStart|2023-01-01T00:00:00.000Z", "@yearEnd|2023-12-31T23:59:59.999Z",
    })
    void macrosAreComputedInUtcFromOneInstant(String macro, String expected) {
        Object v = Macros.value(macro, Instant.parse("2023-02-03T04:05:06.007891Z"));
        assertThat(String.valueOf(v)).isEqualTo(expected);
        assertThat(Macros.isMacro(macro)).isTrue();
        if (!expected.contains("T")) assertThat(v).isInstanceOf(Long.class);
    }

    @Test
    void unknownNamesAreNotMacros() {
        assertThat(Macros.isMacro("@request.auth.id")).isFalse();
        assertThat(Macros.isMacro("@today")).isFalse();
        assertThatThrownBy(() -> Macros.value("@today", Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }
}
