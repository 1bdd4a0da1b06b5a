package dev.nanodb.filter;

import static dev.nanodb.filter.Ast.and;
import static dev.nanodb.filter.Ast.cmp;
import static dev.nanodb.filter.Ast.eq;
import static dev.nanodb.filter.Ast.f;
import static dev.nanodb.filter.Ast.lit;
import static dev.nanodb.filter.Ast.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("title = \"x\"", eq("title", "x")),
                arguments("title='x'", eq("title", "x")),
                arguments("s = \"a\\\"b\\\\c\\n\\t\\u00e9\\/\"", eq("s", "a\"b\\c\n\té/")),
                arguments("s = 'it\\'s \"q\"'", eq("s", "it's \"q\"")),
                arguments("s = \"\\ud83d\\ude00\"", eq("s", "😀")),
                arguments("s = \"\"", eq("s", "")),
                arguments("views = 10", eq("views", 10L)),
                arguments("views = -3", eq("views", -3L)),
                arguments("views = 007", eq("views", 7L)),
                arguments("ratio = 2.5", eq("ratio", 2.5)),
                arguments("ratio = 1e3", eq("ratio", 1000.0)),
                arguments("ratio = 1E-2", eq("ratio", 0.01)),
                arguments("ratio = -2.5e+2", eq("ratio", -250.0)),
                arguments("n = 9223372036854775807", eq("n", Long.MAX_VALUE)),
                arguments("n = -9223372036854775808", eq("n", Long.MIN_VALUE)),
                arguments("n = 9223372036854775808", eq("n", 9.223372036854775808e18)),
                arguments("done = true", eq("done", true)),
                arguments("done = false", eq("done", false)),
                arguments("x = null", eq("x", null)),
                arguments("TRUE = 1", eq("TRUE", 1L)),
                arguments("author.name = 'a'", eq("author.name", "a")),
                arguments("a.0.b = 1", eq("a.0.b", 1L)),
                arguments("_version >= 2", cmp("_version", Op.GTE, 2L)),
                arguments("@request.auth.id = owner", new Compare(f("@request.auth.id"), Op.EQ, f("owner"))),
                arguments("created < @now", new Compare(f("created"), Op.LT, f("@now"))),
                arguments("@collection.posts.title ~ 'x'", cmp("@collection.posts.title", Op.LIKE, "x")),
                arguments("10 < views", new Compare(lit(10L), Op.LT, f("views"))),
                arguments("1 = 1", new Compare(lit(1L), Op.EQ, lit(1L))),
                arguments("a>=-1", cmp("a", Op.GTE, -1L)),
                arguments("a!=-1", cmp("a", Op.NEQ, -1L)),
                arguments("a?!~'x'", cmp("a", Op.ANY_NOT_LIKE, "x")),
                arguments("a = 1 && b = 2 && c = 3", and(eq("a", 1L), eq("b", 2L), eq("c", 3L))),
                arguments("a=1&&b=2||c=3", or(and(eq("a", 1L), eq("b", 2L)), eq("c", 3L))),
                arguments("a = 1 || b = 2 && c = 3", or(eq("a", 1L), and(eq("b", 2L), eq("c", 3L)))),
                arguments("(a = 1 || b = 2) && c = 3", and(or(eq("a", 1L), eq("b", 2L)), eq("c", 3L))),
                arguments("(a = 1 && b = 2) && c = 3", and(and(eq("a", 1L), eq("b", 2L)), eq("c", 3L))),
                arguments("a = 1 && (b = 2 && c = 3)", and(eq("a", 1L), and(eq("b", 2L), eq("c", 3L)))),
                arguments("((a = 1))", eq("a", 1L)),
                arguments("(a = 1) && (b = 2)", and(eq("a", 1L), eq("b", 2L))),
                arguments("\n\t a \r\n=\n 1 \t", eq("a", 1L)),
                arguments("a = 1 // first\n && b = 2 // second", and(eq("a", 1L), eq("b", 2L))),
                arguments("a = \"//not a comment\"", eq("a", "//not a comment")),
                // seed compatibility: a lone field=word compares with the string
                arguments("status=published", eq("status", "published")),
                arguments("author=abc123", eq("author", "abc123")),
                arguments(" status=published\n", eq("status", "published")),
                arguments("status = published", new Compare(f("status"), Op.EQ, f("published"))),
                arguments("status= published", new Compare(f("status"), Op.EQ, f("published"))),
                arguments("id=550e8400-e29b-41d4-a716-446655440000", eq("id", "550e8400-e29b-41d4-a716-446655440000")),
                arguments("id=3kx9", eq("id", "3kx9")),
                arguments("views=10", eq("views", 10L)),
                arguments("ratio=1e3", eq("ratio", 1000.0)),
                arguments("done=true", eq("done", true)),
                arguments("x=null", eq("x", null)),
                arguments("a=@now", new Compare(f("a"), Op.EQ, f("@now"))),
                arguments("a=b.c", new Compare(f("a"), Op.EQ, f("b.c"))),
                arguments("(a=b)", new Compare(f("a"), Op.EQ, f("b"))),
                arguments("a=b && c=d", and(new Compare(f("a"), Op.EQ, f("b")), new Compare(f("c"), Op.EQ, f("d")))),
                arguments("a!=b", new Compare(f("a"), Op.NEQ, f("b"))),
                arguments("@request.auth.id=owner", new Compare(f("@request.auth.id"), Op.EQ, f("owner"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesValidInput(String text, Expr expected) {
        assertThat(Filters.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void parsesEveryOperator(Op op) {
        assertThat(Filters.parse("a " + op.symbol() + " 1")).isEqualTo(cmp("a", op, 1L));
        assertThat(Filters.parse("a" + op.symbol() + "'x'")).isEqualTo(cmp("a", op, "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t  ", "// just a comment", "  // c1\n // c2"})
    void blankInputIsNoFilter(String text) {
        assertThat(Filters.parse(text)).isNull();
    }

    @Test
    void nullInputIsNoFilter() {
        assertThat(Filters.parse(null)).isNull();
    }

    @Test
    void parenthesisedGroupsStayNestedButChainsAreFlat() {
        Expr e = Filters.parse("a = 1 && (b = 2 || c = 3) && d = 4");
        assertThat(e).isInstanceOf(And.class);
        assertThat(((And) e).terms()).hasSize(3).element(1).isInstanceOf(Or.class);
    }
}
