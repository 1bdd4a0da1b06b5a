package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParserErrorTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments(")", 0),
                arguments("s = \"\\ud800\"", 4),
                arguments("s = 'a\\udc00'", 4),
                arguments("a = 1)", 5),
                arguments("(a = 1", 6),
                arguments("a =", 3),
                arguments("a", 1),
                arguments("a = 1 b = 2", 6),
                arguments("&& a = 1", 0),
                arguments("a = 1 &&", 8),
                arguments("a = 1 || ", 9),
                arguments("a = 1 & b = 2", 6),
                arguments("a = 1 | b = 2", 6),
                arguments("a == 1", 3),
                arguments("a = 1 = 2", 6),
                arguments("a = \"abc", 4),
                arguments("a = 'abc\"", 4),
                arguments("a = 'x\\q'", 6),
                arguments("a = \"\\u12\"", 5),
                arguments("a = \"\\", 5),
                arguments("a = 1.", 5),
                arguments("a = 1.5.2", 7),
                arguments("a = 10abc", 6),
                arguments("a = 1e", 5),
                arguments("a = -x", 4),
                arguments("a = - 1", 4),
                arguments("a = 1e999", 4),
                arguments("a = -1e400", 4),
                arguments("@ = 1", 0),
                arguments("@1 = 1", 0),
                arguments("a. = 1", 1),
                arguments("a = #", 4),
                arguments("a = 1 / 2", 6),
                arguments("()", 1),
                arguments("(", 1),
                arguments("a = (1)", 4),
                arguments("(a = 1) = 2", 8),
                arguments("a ! 1", 2),
                arguments("a ? 1", 2),
                arguments("a ?! 1", 2),
                arguments("a = b c", 6),
                arguments("é = 1", 0),
                arguments("a = 😀", 4),
                arguments("a = 1 \u0000", 6),
                arguments("status=published && ", 20));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void reportsPosition(String text, int position) {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class, () -> Filters.parse(text));
        assertThat(e).as("exception for %s", text).isNotNull();
        assertThat(e.position()).isEqualTo(position);
        assertThat(e.getMessage()).contains("at position " + position);
    }

    @Test
    void messageNamesTheOffendingToken() {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class,
                () -> Filters.parse("(a = 1 && b = 2))"));
        assertThat(e.getMessage()).startsWith("unexpected ')' at position 16");
        FilterSyntaxException end = catchThrowableOfType(FilterSyntaxException.class, () -> Filters.parse("a ="));
        assertThat(end.getMessage()).startsWith("unexpected end of input at position 3");
    }

    @Test
    void lengthLimit() {
        String atLimit = "a = \"" + "x".repeat(Parser.MAX_LENGTH - 6) + "\"";
        assertThat(atLimit).hasSize(Parser.MAX_LENGTH);
        assertThat(Filters.parse(atLimit)).isInstanceOf(Compare.class);

        String tooLong = atLimit + " ";
        assertThat(positionOf(tooLong)).isEqualTo(Parser.MAX_LENGTH);
        assertThat(positionOf(" ".repeat(100_000))).isEqualTo(Parser.MAX_LENGTH);
    }

    @Test
    void nestingLimit() {
        String ok = "(".repeat(Parser.MAX_DEPTH) + "a = 1" + ")".repeat(Parser.MAX_DEPTH);
        assertThat(Filters.parse(ok)).isEqualTo(Ast.eq("a", 1L));

        String deep = "(".repeat(Parser.MAX_DEPTH + 1) + "a = 1" + ")".repeat(Parser.MAX_DEPTH + 1);
        assertThat(positionOf(deep)).isEqualTo(Parser.MAX_DEPTH);

        assertThat(positionOf("(".repeat(Parser.MAX_LENGTH))).isEqualTo(Parser.MAX_DEPTH);
    }

    @Test
    void comparisonLimit() {
        String ok = String.join(" || ", java.util.Collections.nCopies(Parser.MAX_COMPARISONS, "a=1"));
        assertThat(((Or) Filters.parse(ok)).terms()).hasSize(Parser.MAX_COMPARISONS);

        String tooMany = "a=1&&".repeat(1600) + "a=1";
        assertThat(positionOf(tooMany)).isEqualTo(Parser.MAX_COMPARISONS * "a=1&&".length());
    }

    private static int positionOf(String text) {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class, () -> Filters.parse(text));
        assertThat(e).isNotNull();
        return e.position();
    }
}
