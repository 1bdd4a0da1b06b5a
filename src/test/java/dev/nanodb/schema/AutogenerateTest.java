package dev.nanodb.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The length bound that guards generation ({@link Autogenerate#maxLength}) and the patterns accepted: a bound never
 * below what is generated, and every accepted pattern's values match it.
 */
class AutogenerateTest {
    @ParameterizedTest(name = "{0} -> at most {1}")
    @CsvSource(delimiter = ';', value = {
            "[a-z0-9]{15}; 15",
            "^[a-z]+$; 16",
            "INV-[0-9]{4}; 8",
            "(ab|cdef){2}; 8",
            "(ab|c){2}\\1; 6",
            "[a-z]{3,5}x?; 6",
            "a{2,}; 18",
            "\\Qa.b\\E{1}; 3",
            "\\p{L}{3}; 3",
            "(?:ab){3}; 6",
            "((a{99}){99}){99}; 970299",
            "[]a]{2}; 2"})
    void boundsTheLength(String pattern, long bound) {
        assertThat(Autogenerate.maxLength(pattern)).isEqualTo(bound);
        if (Autogenerate.problem(pattern) == null) {
            for (int i = 0; i < 50; i++) {
                String v = Autogenerate.generate(pattern);
                assertThat(v.length()).as(v).isLessThanOrEqualTo((int) bound);
                assertThat(Pattern.compile(pattern).matcher(v).matches()).as(v).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = ';', value = {
            "[a-z]{100000}",
            "((a{99}){99}){99}",
            "a{1000000000000}",
            "x(?=y)y",
            "(?i)ab",
            "[[:alpha:]]{3}",
            "(["})
    void refusesWhatItCannotHonour(String pattern) {
        assertThat(Autogenerate.problem(pattern)).isNotNull();
    }
}
