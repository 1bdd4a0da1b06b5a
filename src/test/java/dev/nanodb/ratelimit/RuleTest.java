package dev.nanodb.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.config.RateLimitRules;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path matching by whole segments, and which of several matching rules counts a request. */
class RuleTest {
    private static final String[] RULES = {
        "* /", "* /api", "GET /api/collections/*/records", "* /api/collections/*/records",
        "GET /api/collections/notes/records", "POST /api/collections/*/auth-with-password", "* /api/*/x",
        "* /api/collections/x"};

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "GET|/health|* /",
        "GET|/apix|* /",
        "GET|/api|* /api",
        "GET|/api/|* /api",
        "DELETE|/api/collections|* /api",
        "GET|/api/collections/notes/records|GET /api/collections/notes/records",
        "GET|/api/collections/notes/records/abc|GET /api/collections/notes/records",
        "GET|/api/collections/posts/records|GET /api/collections/*/records",
        "POST|/api/collections/notes/records|* /api/collections/*/records",
        "POST|/api/collections/users/auth-with-password|POST /api/collections/*/auth-with-password",
        "GET|/api/collections/users/auth-with-password|* /api",
        "GET|/api/collections/x|* /api/collections/x",
        "GET|/api/other/x|* /api/*/x",
        "GET|/api//x|* /api"})
    void theMostSpecificMatchingRuleWins(String method, String path, String expected) {
        Rule[] rules = Arrays.stream(RULES).map(RuleTest::rule).sorted(Rule.SPECIFIC_FIRST).toArray(Rule[]::new);
        String winner = null;
        for (Rule r : rules) {
            if (r.matches(method, path)) {
                winner = r.key();
                break;
            }
        }
        assertThat(winner).isEqualTo(expected);
    }

    private static Rule rule(String spec) {
        String[] parts = spec.split(" ");
        return Rule.of(parts[0], RateLimitRules.path(parts[1]), 1, 1000, new LongAdder());
    }
}
