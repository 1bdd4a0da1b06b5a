package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The linear matcher behind {@code ~} ({@link Like}) against a reference: Java's regular expressions, with
 * {@code %} as {@code .*}, {@code _} as {@code .} (one code point) and everything else quoted. The alphabet is
 * small and includes a two-unit code point, so runs, overlaps, wildcards and surrogate pairs are all common.
 * Also the bounds around it: patterns over {@link Values#MAX_PATTERN} characters, and {@link Budget}.
 */
class LikeTest {
    private static final String SURROGATE_PAIR = "\uD834\uDD1E";

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of("a", "b", "ab", "é", SURROGATE_PAIR).list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("a", "b", "_", "%", "%", "é", SURROGATE_PAIR).list().ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property(tries = 4000)
    void matchesAsTheRegularExpression(@ForAll("texts") String text, @ForAll("patterns") String pattern) {
        assertThat(Like.matches(text, pattern)).as("'%s' LIKE '%s'", text, pattern).isEqualTo(reference(text, pattern));
    }

    @Property(tries = 2000)
    void containsAsTheString(@ForAll("texts") String text, @ForAll("texts") String needle) {
        assertThat(Like.contains(text, needle)).as("'%s' contains '%s'", text, needle).isEqualTo(text.contains(needle));
    }

    @Test
    void longSegmentsSpanSeveralWords() {
        String segment = "ab".repeat(100) + "_" + "ba".repeat(40);
        String text = "x".repeat(1000) + segment.replace('_', 'q') + "y".repeat(1000);
        assertThat(Like.matches(text, "%" + segment + "%")).isTrue();
        assertThat(Like.matches(text, "%" + segment + "z%")).isFalse();
        assertThat(Like.contains(text, segment.replace('_', 'q'))).isTrue();
        assertThat(Like.contains(text, segment)).as("no wildcard in a plain contains").isFalse();
    }

    @Test
    void theWorstCaseOfABacktrackingMatcherIsAnAnswer() {
        String text = "a".repeat(1_000_000);
        String pattern = "%" + "a".repeat(Values.MAX_PATTERN - 3) + "b%";
        assertThat(Values.like(text, pattern)).isFalse();
        assertThat(Values.like(text + "b", pattern)).isTrue();
    }

    @Test
    void aPatternOverTheLimitMatchesNothingAndIsRefusedInFilterText() {
        String pattern = "a".repeat(Values.MAX_PATTERN + 1);
        assertThat(Values.like("a".repeat(2000), pattern)).isFalse();
        assertThat(Values.like("a".repeat(2000), pattern.substring(1))).isTrue();
        assertThatThrownBy(() -> Filters.parse("title ~ \"" + pattern + "\"")).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("longer than " + Values.MAX_PATTERN);
        assertThatThrownBy(() -> Filters.parse("tags ?!~ \"" + pattern + "\"")).isInstanceOf(FilterSyntaxException.class);
        assertThat(Filters.parse("title = \"" + pattern + "\"")).as("only patterns are bounded").isNotNull();
    }

    /** Each {@code ~} below costs about 700,000 units ({@link Like#cost}: 100,000 characters, a 6-character pattern). */
    @Test
    void aBudgetStopsBeforeTheWorkItCannotPayFor() {
        Expr e = Filters.parse("big ~ \"needle\" && big ~ \"other\"");
        Resolver huge = path -> "x".repeat(100_000);
        assertThat(Evaluator.test(e, huge, new Budget(800_000))).isFalse();
        Budget small = new Budget(1_000_000);
        assertThatThrownBy(() -> Evaluator.test(Filters.parse("big ~ \"needle\" || big ~ \"other\""), huge, small))
                .isInstanceOf(Budget.Exceeded.class);
        assertThat(small.remaining()).isNegative();
        assertThat(Budget.cost(Op.ANY_EQ, java.util.Collections.nCopies(5000, "v"), "v", Long.MAX_VALUE))
                .as("an any-of costs per element").isGreaterThanOrEqualTo(5000);
    }

    private static boolean reference(String text, String pattern) {
        StringBuilder regex = new StringBuilder();
        pattern.codePoints().forEach(cp -> {
            if (cp == '%') regex.append(".*");
            else if (cp == '_') regex.append('.');
            else regex.append(Pattern.quote(new String(Character.toChars(cp))));
        });
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
    }
}
