package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Modifiers in paths, the multi-valued operand, and the planner's Member/Not nodes. */
class RelationNodesTest {

    @Test
    void modifiersParseAndPrintBack() {
        for (String text : List.of("title:lower = \"a\"", "tags:length > 2", "tags:each ?= \"x\"",
                "@request.body.title:isset = true", "@request.body.tags:changed = false", "post.author.name:lower ~ \"al\"",
                "comments_via_post.body ?= \"hi\"")) {
            Expr e = Filters.parse(text);
            assertThat(Printer.print(e)).isEqualTo(text);
            assertThat(Filters.parse(Printer.print(e))).isEqualTo(e);
        }
        Field f = (Field) ((Compare) Filters.parse("a.b:lower = 1")).left();
        assertThat(f.modifier()).isEqualTo("lower");
        assertThat(f.base()).isEqualTo("a.b");
        assertThatThrownBy(() -> Filters.parse("a: = 1")).isInstanceOf(FilterSyntaxException.class);
    }

    @Test
    void multiValuedOperandIsAnyForQuestionOpsAndAllForPlainOps() {
        Values.Multi m = new Values.Multi(List.of("red", "blue"));
        assertThat(Values.test(Op.ANY_EQ, m, "blue")).isTrue();
        assertThat(Values.test(Op.EQ, m, "blue")).isFalse();
        assertThat(Values.test(Op.NEQ, m, "green")).isTrue();
        Values.Multi none = new Values.Multi(Arrays.asList((Object) null));
        assertThat(Values.test(Op.EQ, none, "x")).isFalse();
        assertThat(Values.test(Op.NEQ, none, "x")).isTrue();
        assertThat(Values.test(Op.ANY_NEQ, none, "x")).isTrue();
    }

    @Test
    void modifiersInTheEvaluator() {
        Map<String, Object> rec = Map.of("title", "HeLLo", "tags", List.of("a", "b"), "empty", List.of());
        Resolver r = rec::get;
        assertThat(Evaluator.test(Filters.parse("title:lower = \"hello\""), r)).isTrue();
        assertThat(Evaluator.test(Filters.parse("tags:length = 2"), r)).isTrue();
        assertThat(Evaluator.test(Filters.parse("empty:length = 0"), r)).isTrue();
        assertThat(Evaluator.test(Filters.parse("tags:each ?= \"b\""), r)).isTrue();
        assertThat(Evaluator.test(Filters.parse("tags:each = \"b\""), r)).isFalse();
        assertThat(Evaluator.test(Filters.parse("empty:each != \"b\""), r)).isTrue();
    }

    @Test
    void memberAndNot() {
        Member any = new Member(new Field("rel"), Set.of("a", "b"), false);
        Member all = new Member(new Field("rel"), Set.of("a", "b"), true);
        assertThat(any.test("a")).isTrue();
        assertThat(any.test("")).isFalse();
        assertThat(any.test(List.of("c", "b"))).isTrue();
        assertThat(all.test(List.of("c", "b"))).isFalse();
        assertThat(all.test(List.of("a", "b"))).isTrue();
        assertThat(all.test(List.of())).isFalse();
        assertThat(any.test(null)).isFalse();
        Resolver r = Map.<String, Object>of("rel", List.of("c"))::get;
        assertThat(Evaluator.test(new Not(any), r)).isTrue();
        assertThat(Evaluator.test(new And(List.of(new Not(all), new Not(any))), r)).isTrue();
        assertThatThrownBy(() -> Printer.print(any)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Filters.comparisons(new Not(any))).isEqualTo(1);
    }
}
