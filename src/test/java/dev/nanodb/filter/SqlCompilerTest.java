package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * What the compiler guarantees without a database: values only ever travel as parameters, one per placeholder.
 * (That the SQL means what the evaluator means is shown against PostgreSQL by the store contract.)
 */
class SqlCompilerTest {
    /** A target whose expressions contain no placeholder, so every {@code ?} in the output is the compiler's. */
    private static final SqlTarget TARGET = new SqlTarget() {
        @Override
        public String json(String path) {
            return "data->'" + path.replace('.', '_').replace("@", "") + "'";
        }

        @Override
        public String text(String path) {
            return "data->>'" + path.replace('.', '_').replace("@", "") + "'";
        }
    };

    @Provide
    Arbitrary<Expr> exprs() {
        return Arbitraries.integers().between(0, 4).flatMap(FilterArbitraries::exprs);
    }

    @Property(tries = 300)
    void everyPlaceholderHasOneParameterAndNoStringLiteralIsSpliced(@ForAll("exprs") Expr e) {
        Sql sql = SqlCompiler.compile(e, TARGET);
        assertThat(sql.text().chars().filter(c -> c == '?').count()).isEqualTo(sql.params().size());
        assertThat(sql.params()).allSatisfy(p -> assertThat(p).isInstanceOf(String.class));
    }

    @Test
    void hostileTextStaysInTheParameters() {
        String hostile = "x'); DROP TABLE t; -- \u0000 /* ü */";
        Sql sql = SqlCompiler.compile(Filters.parse("title = " + Printer.print(new Compare(new Field("a"), Op.EQ,
                new Literal(hostile))).substring(4) + " || title ~ \"%';--\""), TARGET);
        assertThat(sql.text()).doesNotContain("DROP").doesNotContain("';--");
        assertThat(sql.params()).contains(SqlText.jsonLiteral(hostile), "%';--");
    }

    @Test
    void aComparisonOfTwoLiteralsIsDecidedHere() {
        assertThat(SqlCompiler.compile(Filters.parse("1 = 1.0 && \"a\" < \"b\""), TARGET))
                .isEqualTo(new Sql("(TRUE AND TRUE)", List.of()));
        assertThat(SqlCompiler.compile(null, TARGET).text()).isEqualTo("TRUE");
    }

    @Test
    void pgTextIsInvertibleAndKeepsCodePointOrder() {
        List<String> ordered = List.of("", "\u0000", "\u0000\u0000", "\u0000a", "\u0001", "\u0001\u0000", "\u0002", "a",
                "a\u0000", "a\u0001", "ab");
        for (int i = 0; i < ordered.size(); i++) {
            String s = ordered.get(i);
            assertThat(SqlText.pgText(s)).doesNotContain("\u0000");
            assertThat(SqlText.fromPgText(SqlText.pgText(s))).isEqualTo(s);
            if (i > 0) {
                assertThat(Values.compareStrings(SqlText.pgText(ordered.get(i - 1)), SqlText.pgText(s))).isNegative();
            }
        }
    }
}
