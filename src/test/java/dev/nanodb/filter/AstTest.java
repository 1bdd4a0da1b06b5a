package dev.nanodb.filter;

import static dev.nanodb.filter.Ast.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AstTest {

    @Test
    void junctionsNeedTwoNonNullTermsAndAreImmutable() {
        assertThatThrownBy(() -> new And(List.of(eq("a", 1L)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Or(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new And(Arrays.asList(eq("a", 1L), null))).isInstanceOf(NullPointerException.class);
        List<Expr> terms = new ArrayList<>(List.of(eq("a", 1L), eq("b", 2L)));
        And and = new And(terms);
        terms.clear();
        assertThat(and.terms()).hasSize(2);
        assertThatThrownBy(() -> and.terms().add(eq("c", 3L))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void structuralEquality() {
        assertThat(new And(List.of(eq("a", 1L), eq("b", "x")))).isEqualTo(new And(List.of(eq("a", 1L), eq("b", "x"))));
        assertThat(eq("a", 1L)).isNotEqualTo(eq("a", 1.0));
        assertThat(new And(List.of(eq("a", 1L), eq("b", 2L)))).isNotEqualTo(new Or(List.of(eq("a", 1L), eq("b", 2L))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1a", "a.", ".a", "a..b", "@", "@@a", "a b", "a-b", "true", "false", "null", "é", "a.@b"})
    void rejectsInvalidFieldPaths(String path) {
        assertThat(Field.isValidPath(path)).isFalse();
        assertThatThrownBy(() -> new Field(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_", "A_1", "a.b.c", "a.0", "a._", "@now", "@request.auth.id", "True", "nullable"})
    void acceptsValidFieldPaths(String path) {
        assertThat(new Field(path).path()).isEqualTo(path);
    }

    @Test
    void fieldReferenceKinds() {
        assertThat(new Field("@request.auth.id").isRequestRef()).isTrue();
        assertThat(new Field("@request.auth.id").isCollectionRef()).isFalse();
        assertThat(new Field("@collection.posts.title").isCollectionRef()).isTrue();
        assertThat(new Field("@request").isRequestRef()).isFalse();
        assertThat(new Field("request.auth").isRequestRef()).isFalse();
        assertThat(new Field("@now").isRequestRef()).isFalse();
    }

    @Test
    void literalAcceptsOnlyTheFiveValueKinds() {
        assertThat(new Literal(null).value()).isNull();
        assertThat(new Literal(1L).value()).isEqualTo(1L);
        for (Object bad : new Object[] {1, 1.0f, 'c', List.of(), new java.math.BigDecimal("1")}) {
            assertThatThrownBy(() -> new Literal(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void operatorSymbolsAndAnyOfVariants(Op op) {
        assertThat(Op.fromSymbol(op.symbol())).contains(op);
        assertThat(op.anyOf()).isEqualTo(op.symbol().startsWith("?"));
        assertThat(op.base().anyOf()).isFalse();
        if (op.anyOf()) {
            assertThat("?" + op.base().symbol()).isEqualTo(op.symbol());
        } else {
            assertThat(op.base()).isSameAs(op);
        }
    }

    @Test
    void unknownSymbol() {
        assertThat(Op.fromSymbol("==")).isEmpty();
        assertThat(Op.fromSymbol("?")).isEmpty();
    }
}
