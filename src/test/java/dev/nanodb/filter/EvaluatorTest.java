package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvaluatorTest {

    private static final Map<String, Object> RECORD = new HashMap<>();

    static {
        RECORD.put("title", "Hello World");
        RECORD.put("views", 10L);
        RECORD.put("intViews", 10);
        RECORD.put("ratio", 2.5);
        RECORD.put("zero", -0.0);
        RECORD.put("done", true);
        RECORD.put("nothing", null);
        RECORD.put("tags", List.of("a", "B", "c"));
        RECORD.put("nums", List.of(1L, 5, 10.0));
        RECORD.put("mixed", java.util.Arrays.asList(null, "x", 3L));
        RECORD.put("empty", List.of());
        RECORD.put("emoji", "😀");
        RECORD.put("bmpMax", "\uFFFF");
        RECORD.put("meta", Map.of("k", 1L));
        RECORD.put("@request.auth.id", "u1");
        RECORD.put("owner", "u1");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // = and !=
                arguments("views = 10", true),
                arguments("views = 10.0", true),
                arguments("intViews = 10", true),
                arguments("intViews = views", true),
                arguments("views = \"10\"", false),
                arguments("views != \"10\"", true),
                arguments("views != 10", false),
                arguments("title = 'Hello World'", true),
                arguments("title = 'hello world'", false),
                arguments("zero = 0", true),
                arguments("done = true", true),
                arguments("done = 1", false),
                arguments("nothing = null", true),
                arguments("missing = null", true),
                arguments("null = missing", true),
                arguments("views = null", false),
                arguments("nothing != null", false),
                arguments("views != null", true),
                arguments("owner = @request.auth.id", true),
                arguments("@request.auth.id != owner", false),
                arguments("meta = null", false),
                // ordering
                arguments("views > 5", true),
                arguments("views > 10", false),
                arguments("views >= 10", true),
                arguments("views < 10.5", true),
                arguments("views <= 9", false),
                arguments("10 < views", false),
                arguments("5 < views", true),
                arguments("10 >= views", true),
                arguments("ratio > 2", true),
                arguments("title > 'A'", true),
                arguments("title < 'a'", true),
                arguments("title < 5", false),
                arguments("title >= 5", false),
                arguments("views < 'a'", false),
                arguments("nothing > 1", false),
                arguments("nothing < 1", false),
                arguments("nothing <= null", false),
                arguments("nothing >= null", false),
                arguments("done > false", true),
                arguments("done < true", false),
                arguments("tags > 'a'", false),
                arguments("tags <= 'z'", false),
                arguments("meta >= null", false),
                arguments("emoji > \"\\uffff\"", true),
                arguments("emoji > bmpMax", true),
                arguments("bmpMax < emoji", true),
                arguments("emoji > '\\ufb01'", true),
                // ~ and !~
                arguments("title ~ 'world'", true),
                arguments("title ~ 'WORLD'", true),
                arguments("title ~ 'xyz'", false),
                arguments("title !~ 'xyz'", true),
                arguments("title !~ 'LLO'", false),
                arguments("title ~ ''", true),
                arguments("title ~ 'hello%'", true),
                arguments("title ~ '%WORLD'", true),
                arguments("title ~ '%wor'", false),
                arguments("title ~ 'hello'", true),
                arguments("title ~ 'h_llo%'", true),
                arguments("title ~ 'h_llo'", false),
                arguments("title ~ '%o w%'", true),
                arguments("title ~ '%'", true),
                arguments("title ~ 'hello_world'", false),
                arguments("title ~ 'hello_world%'", true),
                arguments("title ~ '%%d'", true),
                arguments("title ~ 'Hello Worl_'", false),
                arguments("title ~ 'Hello Worl_%'", true),
                arguments("emoji ~ '_'", false),
                arguments("emoji ~ '_%'", true),
                arguments("emoji ~ '%_'", true),
                arguments("views ~ '1'", true),
                arguments("views ~ 1", true),
                arguments("views ~ '10%'", true),
                arguments("ratio ~ '2.5'", true),
                arguments("'abc10xyz' ~ views", true),
                arguments("10 ~ 1", true),
                arguments("1000.0 ~ '1000'", true),
                arguments("1000.0 ~ '.'", false),
                arguments("done ~ 't'", false),
                arguments("nothing ~ 'x'", false),
                arguments("nothing !~ 'x'", false),
                arguments("missing !~ 'x'", false),
                arguments("title ~ nothing", false),
                arguments("title !~ nothing", true),
                arguments("views !~ '1'", false),
                arguments("tags ~ 'a'", false),
                arguments("tags !~ 'a'", true),
                // any-of
                arguments("tags ?= 'a'", true),
                arguments("tags = 'a'", false),
                arguments("tags != 'a'", true),
                arguments("tags ?= 'b'", false),
                arguments("tags ?~ 'b'", true),
                arguments("tags ?!= 'a'", true),
                arguments("tags ?!~ 'x'", true),
                arguments("tags ?!~ '%'", false),
                arguments("nums ?> 7", true),
                arguments("nums ?> 10", false),
                arguments("nums ?>= 10", true),
                arguments("nums ?< 1", false),
                arguments("nums ?<= 1", true),
                arguments("nums ?= 5", true),
                arguments("nums ?= 10", true),
                arguments("nums ?~ '5'", true),
                arguments("mixed ?= null", true),
                arguments("mixed ?!~ 'y'", true),
                arguments("mixed ?> 'a'", true),
                arguments("mixed ?> 100", false),
                arguments("empty ?= null", false),
                arguments("empty ?!= 1", false),
                arguments("empty = null", false),
                arguments("views ?= 10", true),
                arguments("views ?> 9", true),
                arguments("title ?~ 'WORLD'", true),
                arguments("nothing ?= null", true),
                arguments("nothing ?!~ 'x'", false),
                // boolean structure
                arguments("views = 10 && done = true", true),
                arguments("views = 10 && done = false", false),
                arguments("views = 1 || done = true", true),
                arguments("views = 1 || done = false", false),
                arguments("views = 1 || (done = true && title ~ 'hello')", true),
                arguments("(views = 1 || done = true) && title ~ 'nope'", false),
                arguments("views = 1 || views = 2 || views = 10", true),
                arguments("views > 1 && views > 2 && views > 20", false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("cases")
    void evaluates(String filter, boolean expected) {
        assertThat(Evaluator.test(Filters.parse(filter), RECORD::get)).isEqualTo(expected);
    }

    @Test
    void nullExpressionMatchesEverything() {
        assertThat(Evaluator.test(null, path -> null)).isTrue();
    }

    @Test
    void shortCircuitsLeftToRight() {
        List<String> asked = new ArrayList<>();
        Resolver r = path -> {
            asked.add(path);
            return 1L;
        };
        assertThat(Evaluator.test(Filters.parse("a = 2 && b = 1"), r)).isFalse();
        assertThat(asked).containsExactly("a");
        asked.clear();
        assertThat(Evaluator.test(Filters.parse("a = 1 || b = 1"), r)).isTrue();
        assertThat(asked).containsExactly("a");
    }

    @Test
    void nowIsAnsweredByTheResolver() {
        Resolver r = path -> path.equals("@now") ? "2024-01-02T00:00:00Z" : "2023-12-31T10:00:00Z";
        assertThat(Evaluator.test(Filters.parse("created < @now"), r)).isTrue();
    }

    @Test
    void deepProgrammaticTreeDoesNotOverflowTheStack() {
        Expr e = Ast.eq("a", 1L);
        for (int i = 0; i < 200_000; i++) {
            e = (i % 2 == 0) ? new And(List.of(e, Ast.eq("b", 2L))) : new Or(List.of(Ast.eq("c", 3L), e));
        }
        Map<String, Object> rec = Map.of("a", 1L, "b", 2L);
        assertThat(Evaluator.test(e, rec::get)).isTrue();
    }

    @Test
    void oddResolverValuesNeverThrow() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        Map<Object, Object> weirdMap = new HashMap<>();
        weirdMap.put(null, new Object());
        weirdMap.put(1, Double.NaN);
        weirdMap.put("self", weirdMap);
        Object[] values = {cyclic, weirdMap, new Object(), 'c', Double.NaN, Double.POSITIVE_INFINITY,
            new java.math.BigDecimal("1e999999"), java.math.BigInteger.TEN.pow(400), new int[] {1}, -0.0f};
        int evaluated = 0;
        for (Object value : values) {
            for (Object other : values) {
                for (Op op : Op.values()) {
                    Compare c = new Compare(Ast.f("x"), op, Ast.f("y"));
                    Evaluator.test(c, path -> path.equals("x") ? value : other);
                    evaluated++;
                }
            }
        }
        assertThat(evaluated).isEqualTo(values.length * values.length * Op.values().length);
        assertThat(Evaluator.test(new Compare(Ast.f("x"), Op.EQ, Ast.f("x")), p -> cyclic)).isTrue();
    }
}
