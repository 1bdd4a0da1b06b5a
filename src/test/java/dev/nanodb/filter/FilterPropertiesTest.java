package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FilterPropertiesTest {

    @Provide
    Arbitrary<Expr> exprs() {
        return Arbitraries.integers().between(0, 4).flatMap(FilterArbitraries::exprs);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40), FilterArbitraries.tokenSoup());
    }

    @Provide
    Arbitrary<Object> values() {
        return FilterArbitraries.values();
    }

    @Property(tries = 1000)
    void printThenParseIsIdentity(@ForAll("exprs") Expr e) {
        String text = Printer.print(e);
        assertThat(Filters.parse(text)).as(text).isEqualTo(e);
    }

    @Property(tries = 2000)
    void parseReturnsOrThrowsFilterSyntaxExceptionOnly(@ForAll("noise") String text) {
        Object[] parsed = new Object[1];
        Throwable thrown = catchThrowable(() -> parsed[0] = Filters.parse(text));
        if (thrown == null) {
            Expr e = (Expr) parsed[0];
            assertThat(e == null || Filters.parse(Printer.print(e)).equals(e)).as("reparse of %s", text).isTrue();
        } else {
            assertThat(thrown).isInstanceOf(FilterSyntaxException.class);
            assertThat(((FilterSyntaxException) thrown).position()).isBetween(0, text.length());
        }
    }

    @Property(tries = 1000)
    void evaluationNeverThrows(@ForAll("exprs") Expr e, @ForAll("values") Object a, @ForAll("values") Object b) {
        Throwable thrown = catchThrowable(() -> Evaluator.test(e, path -> path.length() % 2 == 0 ? a : b));
        assertThat(thrown).isNull();
    }

    @Property(tries = 1000)
    void compareIsAntisymmetricAndReflexive(@ForAll("values") Object a, @ForAll("values") Object b) {
        assertThat(Integer.signum(Values.compare(a, b))).isEqualTo(-Integer.signum(Values.compare(b, a)));
        assertThat(Values.compare(a, a)).isZero();
    }

    @Property(tries = 1000)
    void compareIsTransitive(@ForAll("values") Object a, @ForAll("values") Object b, @ForAll("values") Object c) {
        List<Object> sorted = new ArrayList<>(java.util.Arrays.asList(a, b, c));
        sorted.sort(Values::compare);
        assertThat(Values.compare(sorted.get(0), sorted.get(1))).isLessThanOrEqualTo(0);
        assertThat(Values.compare(sorted.get(1), sorted.get(2))).isLessThanOrEqualTo(0);
        assertThat(Values.compare(sorted.get(0), sorted.get(2))).isLessThanOrEqualTo(0);
        if (Values.compare(sorted.get(0), sorted.get(2)) == 0) {
            assertThat(Values.compare(sorted.get(0), sorted.get(1))).isZero();
        }
    }

    @Property(tries = 1000)
    void equalityOperatorIsConsistentWithCompare(@ForAll("values") Object a, @ForAll("values") Object b) {
        boolean eq = Values.test(Op.EQ, a, b);
        assertThat(eq).isEqualTo(Values.compare(a, b) == 0);
        assertThat(Values.test(Op.NEQ, a, b)).isEqualTo(!eq);
        assertThat(Values.test(Op.EQ, b, a)).isEqualTo(eq);
        if (Values.test(Op.GTE, a, b) && Values.test(Op.LTE, a, b)) {
            assertThat(eq).isTrue();
        }
    }

    @Property(tries = 1000)
    void orderingOperatorsAgreeWithCompareWithinOrderableRanks(@ForAll("values") Object a, @ForAll("values") Object b) {
        int rank = Values.typeRank(a);
        boolean orderable = rank == Values.typeRank(b) && rank >= Values.RANK_BOOLEAN && rank <= Values.RANK_STRING;
        int c = Values.compare(a, b);
        assertThat(Values.test(Op.LT, a, b)).isEqualTo(orderable && c < 0);
        assertThat(Values.test(Op.GT, b, a)).isEqualTo(orderable && c < 0);
        assertThat(Values.test(Op.LTE, a, b)).isEqualTo(orderable && c <= 0);
    }

    @Property(tries = 500)
    void anyOfOnListIsExistentialOverElements(@ForAll("values") Object right, @ForAll("values") Object maybeList) {
        List<?> list = maybeList instanceof List<?> l ? l : List.of();
        for (Op op : Op.values()) {
            if (!op.anyOf()) {
                continue;
            }
            boolean expected = list.stream().anyMatch(el -> Values.test(op.base(), el, right));
            assertThat(Values.test(op, list, right)).as("%s %s %s", list, op, right).isEqualTo(expected);
        }
    }
}
