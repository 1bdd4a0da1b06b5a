package dev.nanodb.filter;

import static dev.nanodb.filter.Ast.and;
import static dev.nanodb.filter.Ast.eq;
import static dev.nanodb.filter.Ast.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void equalityMapBecomesConjunctionInIterationOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "published");
        m.put("views", 10);
        m.put("ratio", 2.5);
        m.put("done", true);
        m.put("gone", null);
        m.put("author.name", "x");
        assertThat(Filters.fromEquality(m)).isEqualTo(and(
                eq("status", "published"), eq("views", 10L), eq("ratio", 2.5), eq("done", true),
                eq("gone", null), eq("author.name", "x")));
    }

    @Test
    void equalityMapEdgeCases() {
        assertThat(Filters.fromEquality(Map.of())).isNull();
        assertThat(Filters.fromEquality(null)).isNull();
        assertThat(Filters.fromEquality(Map.of("views", 10))).isEqualTo(eq("views", 10L));
        assertThat(Filters.fromEquality(Map.of("n", 3.0))).isEqualTo(eq("n", 3L));
        assertThat(Filters.fromEquality(Map.of("n", -0.0))).isEqualTo(eq("n", 0L));
        assertThat(Filters.fromEquality(Map.of("n", 1e300))).isEqualTo(eq("n", 1e300));
        assertThat(Filters.fromEquality(Map.of("n", BigInteger.TWO.pow(70)))).isEqualTo(eq("n", 0x1p70));
        assertThat(Filters.fromEquality(Map.of("n", Long.MIN_VALUE))).isEqualTo(eq("n", Long.MIN_VALUE));
        assertThat(Filters.fromEquality(Map.of("n", new BigDecimal("0.25")))).isEqualTo(eq("n", 0.25));
    }

    @Test
    void equalityMapRejectsBadKeysAndValues() {
        for (String key : new String[] {"@request.auth.id", "a b", "", "1a", "true", "a.", "a=1"}) {
            assertThatThrownBy(() -> Filters.fromEquality(Map.of(key, 1)))
                    .as(key).isInstanceOf(FilterSyntaxException.class);
        }
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> Filters.fromEquality(nullKey)).isInstanceOf(FilterSyntaxException.class);
        for (Object value : new Object[] {List.of(1), Map.of("a", 1), new Object(), Double.NaN, 1.0 / 0}) {
            assertThatThrownBy(() -> Filters.fromEquality(Map.of("a", value)))
                    .as(String.valueOf(value)).isInstanceOf(FilterSyntaxException.class)
                    .extracting(e -> ((FilterSyntaxException) e).position()).isEqualTo(-1);
        }
    }

    @Test
    void equalityMapResultEvaluatesLikeTheMap() {
        Expr e = Filters.fromEquality(Map.of("status", "published", "views", 10));
        assertThat(Evaluator.test(e, Map.<String, Object>of("status", "published", "views", 10.0)::get)).isTrue();
        assertThat(Evaluator.test(e, Map.<String, Object>of("status", "draft", "views", 10L)::get)).isFalse();
    }

    @Test
    void conjuncts() {
        Expr a = eq("a", 1L);
        Expr b = eq("b", 2L);
        assertThat(Filters.conjuncts(null)).isEmpty();
        assertThat(Filters.conjuncts(a)).containsExactly(a);
        assertThat(Filters.conjuncts(and(a, b))).containsExactly(a, b);
        assertThat(Filters.conjuncts(or(a, b))).containsExactly(or(a, b));
    }

    @Test
    void andIsNullTolerantAndFlat() {
        Expr a = eq("a", 1L);
        Expr b = eq("b", 2L);
        Expr c = eq("c", 3L);
        Expr d = eq("d", 4L);
        assertThat(Filters.and(null, null)).isNull();
        assertThat(Filters.and(a, null)).isSameAs(a);
        assertThat(Filters.and(null, b)).isSameAs(b);
        assertThat(Filters.and(a, b)).isEqualTo(and(a, b));
        assertThat(Filters.and(and(a, b), c)).isEqualTo(and(a, b, c));
        assertThat(Filters.and(a, and(b, c))).isEqualTo(and(a, b, c));
        assertThat(Filters.and(and(a, b), and(c, d))).isEqualTo(and(a, b, c, d));
        assertThat(Filters.and(or(a, b), c)).isEqualTo(and(or(a, b), c));
        Expr combined = Filters.and(Filters.parse("a = 1 || b = 2"), Filters.parse("@request.auth.id != null"));
        assertThat(Printer.print(combined)).isEqualTo("(a = 1 || b = 2) && @request.auth.id != null");
    }

    @Test
    void andWithRuleRestrictsResults() {
        Expr user = Filters.parse("a = 1 || b = 1");
        Expr rule = Filters.parse("owner = @request.auth.id");
        Expr both = Filters.and(user, rule);
        Map<String, Object> mine = Map.of("a", 1L, "owner", "u1", "@request.auth.id", "u1");
        Map<String, Object> theirs = Map.of("a", 1L, "owner", "u2", "@request.auth.id", "u1");
        assertThat(Evaluator.test(both, mine::get)).isTrue();
        assertThat(Evaluator.test(both, theirs::get)).isFalse();
        assertThat(Filters.conjuncts(both)).hasSize(2);
    }

    /** Parsed trees are kept by text (a pure function, never stale), bounded in text length and count. */
    @Test
    void aRepeatedFilterIsParsedOnceWhileLongTextsErrorsAndFloodsStayCorrect() {
        String text = "status = 'x' && n > 2";
        Expr first = Filters.parse(text);
        assertThat(Filters.parse(text)).isSameAs(first);
        String longText = "a = 1 || ".repeat(40) + "a = 2";
        assertThat(Filters.parse(longText)).isEqualTo(Filters.parse(longText)).isNotSameAs(Filters.parse(longText));
        for (int i = 0; i < 2; i++) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Filters.parse("a = "))
                    .isInstanceOf(FilterSyntaxException.class);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(Printer.print(Filters.parse("n = " + i))).isEqualTo("n = " + i);
        }
        assertThat(Filters.parse(text)).isEqualTo(first);
    }
}
