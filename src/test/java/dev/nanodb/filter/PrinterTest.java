package dev.nanodb.filter;

import static dev.nanodb.filter.Ast.and;
import static dev.nanodb.filter.Ast.cmp;
import static dev.nanodb.filter.Ast.eq;
import static dev.nanodb.filter.Ast.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrinterTest {

    static Stream<Arguments> printed() {
        return Stream.of(
                arguments(eq("a", 1L), "a = 1"),
                arguments(eq("a", -9223372036854775808L), "a = -9223372036854775808"),
                arguments(eq("a", 2.0), "a = 2.0"),
                arguments(eq("a", -0.0), "a = -0.0"),
                arguments(eq("a", 1e300), "a = 1.0E300"),
                arguments(eq("a", 1e-300), "a = 1.0E-300"),
                arguments(eq("a", true), "a = true"),
                arguments(eq("a", null), "a = null"),
                arguments(eq("a", "say \"hi\"\\\n\t\r\b\f\u0001\u007f'é😀"),
                        "a = \"say \\\"hi\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u007f'é😀\""),
                arguments(new Compare(Ast.lit(10L), Op.LT, Ast.f("@request.query.x")), "10 < @request.query.x"),
                arguments(cmp("tags", Op.ANY_NOT_LIKE, "x%"), "tags ?!~ \"x%\""),
                arguments(and(eq("a", 1L), or(eq("b", 2L), eq("c", 3L))), "a = 1 && (b = 2 || c = 3)"),
                arguments(or(and(eq("a", 1L), eq("b", 2L)), eq("c", 3L)), "(a = 1 && b = 2) || c = 3"),
                arguments(and(and(eq("a", 1L), eq("b", 2L)), eq("c", 3L)), "(a = 1 && b = 2) && c = 3"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("printed")
    void printsCanonicalTextThatParsesBack(Expr e, String text) {
        assertThat(Printer.print(e)).isEqualTo(text);
        assertThat(Filters.parse(text)).isEqualTo(e);
    }

    @Test
    void stringThatLooksLikeSeedWordStaysQuoted() {
        Expr e = eq("status", "published");
        assertThat(Printer.print(e)).isEqualTo("status = \"published\"");
        assertThat(Filters.parse(Printer.print(e))).isEqualTo(e);
    }

    @Test
    void refusesNonFiniteNumbers() {
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> Printer.print(eq("a", d))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void printsUpToTheParserNestingLimitAndRefusesDeeper() {
        Expr e = eq("a", 1L);
        for (int i = 0; i < Parser.MAX_DEPTH + 1; i++) {
            e = i % 2 == 0 ? new Or(List.of(e, eq("b", 2L))) : new And(List.of(e, eq("c", 3L)));
        }
        assertThat(Filters.parse(Printer.print(e))).isEqualTo(e);

        Expr deeper = new And(List.of(e, eq("d", 4L)));
        assertThatThrownBy(() -> Printer.print(deeper)).isInstanceOf(IllegalArgumentException.class);
    }
}
