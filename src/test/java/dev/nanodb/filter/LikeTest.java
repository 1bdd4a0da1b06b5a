package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The linear matcher behind {@code ~} ({@link Like}) against a reference: the textbook dynamic program, with
 * {@code %} any run of code points and {@code _} exactly one. The alphabet is
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
    void matchesAsTheReference(@ForAll("texts") String text, @ForAll("patterns") String pattern) {
        assertThat(Like.matches(text, pattern)).as("'%s' LIKE '%s'", text, pattern).isEqualTo(reference(text, pattern));
    }

    @Provide
    Arbitrary<String> longTexts() {
        return Arbitraries.of("a", "a", "a", "b", "é").list().ofMinSize(20).ofMaxSize(80).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> longPatterns() {
        return Arbitraries.of("a", "a", "a", "b", "%", "_").list().ofMinSize(17).ofMaxSize(40).map(l -> String.join("", l));
    }

    /** Segments longer than 16 characters take the other search paths (Knuth-Morris-Pratt, shift-and). */
    @Property(tries = 3000)
    void longSegmentsMatchAsTheReference(@ForAll("longTexts") String text, @ForAll("longPatterns") String pattern) {
        assertThat(Like.matches(text, pattern)).as("'%s' LIKE '%s'", text, pattern).isEqualTo(reference(text, pattern));
        String literal = pattern.replace("%", "").replace("_", "");
        assertThat(Like.contains(text, literal)).as("'%s' contains '%s'", text, literal).isEqualTo(text.contains(literal));
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
        assertThat(Like.matches(text, "x%" + segment.replace('_', 'q') + "%y")).as("a long literal middle segment").isTrue();
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

    /** Each {@code ~} below costs about 800,000 units ({@link Like#cost}: 100,000 characters, a 6-character pattern). */
    @Test
    void aBudgetStopsBeforeTheWorkItCannotPayFor() {
        Expr e = Filters.parse("big ~ \"needle\" && big ~ \"other\"");
        Resolver huge = path -> "x".repeat(100_000);
        assertThat(Evaluator.test(e, huge, new Budget(1_000_000))).isFalse();
        Budget small = new Budget(1_500_000);
        assertThatThrownBy(() -> Evaluator.test(Filters.parse("big ~ \"needle\" || big ~ \"other\""), huge, small))
                .isInstanceOf(Budget.Exceeded.class);
        assertThat(small.remaining()).isNegative();
        assertThat(Budget.cost(Op.ANY_EQ, java.util.Collections.nCopies(5000, "v"), "v", Long.MAX_VALUE))
                .as("an any-of costs per element").isGreaterThanOrEqualTo(5000);
    }

    /** The reference: the textbook dynamic program over code points, O(n · m) and obviously right. */
    private static boolean reference(String text, String pattern) {
        int[] t = text.codePoints().toArray();
        int[] p = pattern.codePoints().toArray();
        boolean[][] ok = new boolean[p.length + 1][t.length + 1];
        ok[0][0] = true;
        for (int i = 1; i <= p.length; i++) {
            for (int j = 0; j <= t.length; j++) {
                ok[i][j] = p[i - 1] == '%'
                        ? ok[i - 1][j] || j > 0 && ok[i][j - 1]
                        : j > 0 && ok[i - 1][j - 1] && (p[i - 1] == '_' || p[i - 1] == t[j - 1]);
            }
        }
        return ok[p.length][t.length];
    }
}
