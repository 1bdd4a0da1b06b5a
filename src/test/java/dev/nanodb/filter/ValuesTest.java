package dev.nanodb.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void typeRanks() {
        assertThat(Values.typeRank(null)).isZero();
        assertThat(Values.typeRank(false)).isEqualTo(1);
        assertThat(Values.typeRank(3)).isEqualTo(2);
        assertThat(Values.typeRank(3.5f)).isEqualTo(2);
        assertThat(Values.typeRank(BigDecimal.ONE)).isEqualTo(2);
        assertThat(Values.typeRank("")).isEqualTo(3);
        assertThat(Values.typeRank(List.of())).isEqualTo(4);
        assertThat(Values.typeRank(Map.of())).isEqualTo(4);
        assertThat(Values.typeRank(new Object())).isEqualTo(4);
    }

    @Test
    void orderAcrossAndWithinRanks() {
        List<Object> sorted = Arrays.asList(
                null, false, true, Double.NEGATIVE_INFINITY, -5L, -0.5, 0L, 1, 1.5, 1e300,
                "", "A", "B", "a", "ab", "\uFFFF", "😀", List.of(1L), List.of(), Map.of());
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = 0; j < sorted.size(); j++) {
                assertThat(Integer.signum(Values.compare(sorted.get(i), sorted.get(j))))
                        .as("compare(%s, %s)", sorted.get(i), sorted.get(j))
                        .isEqualTo(Integer.compare(i, j));
            }
        }
    }

    @Test
    void numbersCompareByValueAcrossTypes() {
        assertThat(Values.compare(1L, 1.0)).isZero();
        assertThat(Values.compare((short) 7, BigInteger.valueOf(7))).isZero();
        assertThat(Values.compare(-0.0, 0.0)).isZero();
        assertThat(Values.compare(0L, -0.0)).isZero();
        assertThat(Values.equal(-0.0, 0L)).isTrue();
        assertThat(Values.compare(2, 10L)).isNegative();
    }

    @Test
    void stringsCompareByCodePointNotUtf16Unit() {
        String supplementary = "😀";
        String highBmp = "\uFB01";
        assertThat(supplementary.compareTo(highBmp)).isNegative();
        assertThat(Values.compareStrings(supplementary, highBmp)).isPositive();
        assertThat(Values.compare(supplementary, highBmp)).isPositive();
        assertThat(Values.compareStrings("a😀", "a\uFFFF")).isPositive();
        assertThat(Values.compareStrings("ab", "abc")).isNegative();
        assertThat(Values.compareStrings("abc", "abc")).isZero();
        assertThat(Values.compareStrings("\uD83D", "\uD83D\uDE00")).isNegative();
    }

    @Test
    void codePointOrderMatchesUtf8ByteOrderForWellFormedText() {
        String[] samples = {"", "a", "z", "é", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFF", "😀", "𐀀", "a😀b"};
        for (String x : samples) {
            for (String y : samples) {
                int bytes = Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(Integer.signum(Values.compareStrings(x, y))).as("%s vs %s", x, y)
                        .isEqualTo(Integer.signum(bytes));
            }
        }
    }

    @Test
    void equalityRequiresSameRank() {
        assertThat(Values.equal(1L, 1.0)).isTrue();
        assertThat(Values.equal("1", 1L)).isFalse();
        assertThat(Values.equal(null, null)).isTrue();
        assertThat(Values.equal(null, false)).isFalse();
        assertThat(Values.equal(0L, false)).isFalse();
        assertThat(Values.equal(List.of(1L, "a"), List.of(1.0, "a"))).isTrue();
        assertThat(Values.equal(List.of(1L), List.of(2L))).isFalse();
        assertThat(Values.equal(List.of(), Map.of())).isFalse();
    }

    @Test
    void normalizeNumber() {
        assertThat(Values.normalizeNumber(1.0)).isEqualTo(1L);
        assertThat(Values.normalizeNumber(-0.0)).isEqualTo(0L);
        assertThat(Values.normalizeNumber(7)).isEqualTo(7L);
        assertThat(Values.normalizeNumber((byte) -2)).isEqualTo(-2L);
        assertThat(Values.normalizeNumber(2.5)).isEqualTo(2.5);
        assertThat(Values.normalizeNumber(1L << 53)).isEqualTo(1L << 53);
        assertThat(Values.normalizeNumber(-(1L << 53))).isEqualTo(-(1L << 53));
        assertThat(Values.normalizeNumber((1L << 53) + 1)).isEqualTo((double) ((1L << 53) + 1));
        assertThat(Values.normalizeNumber(0x1p60)).isEqualTo(0x1p60);
        assertThat(Values.normalizeNumber(new BigDecimal("3.000"))).isEqualTo(3L);
        assertThat(Values.normalizeNumber(Double.NaN)).isEqualTo(Double.NaN);
        assertThat(Values.normalizeNumber(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void likeTextIsPlainDecimal() {
        assertThat(Values.likeText("s")).isEqualTo("s");
        assertThat(Values.likeText(10L)).isEqualTo("10");
        assertThat(Values.likeText(9007199254740993L)).isEqualTo("9007199254740993");
        assertThat(Values.likeText(2.0)).isEqualTo("2");
        assertThat(Values.likeText(2.50)).isEqualTo("2.5");
        assertThat(Values.likeText(1e21)).isEqualTo("1000000000000000000000");
        assertThat(Values.likeText(1e-7)).isEqualTo("0.0000001");
        assertThat(Values.likeText(-0.0)).isEqualTo("0");
        assertThat(Values.likeText(Double.NaN)).isNull();
        assertThat(Values.likeText(true)).isNull();
        assertThat(Values.likeText(null)).isNull();
        assertThat(Values.likeText(List.of("a"))).isNull();
    }

    @Test
    void likeIsCaseInsensitiveWithRootLocale() {
        assertThat(Values.like("TITLE", "title")).isTrue();
        assertThat(Values.like("ÉTÉ", "été")).isTrue();
        assertThat(Values.like("QUIZ", "%i%")).isTrue();
        assertThat(Values.like("abc", "a%c")).isTrue();
        assertThat(Values.like("abc", "a%b")).isFalse();
        assertThat(Values.like("aXbXc", "%x%x%")).isTrue();
        assertThat(Values.like("", "%")).isTrue();
        assertThat(Values.like("", "_%")).isFalse();
        assertThat(Values.like("a_c", "a\\_c")).isFalse();
    }

    @Test
    void canonicalTextSortsKeysAndNormalizesNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1.0, "x\"y"));
        m.put("a", null);
        m.put("😀", true);
        m.put("\uFFFF", 2.5);
        assertThat(Values.canonicalText(m)).isEqualTo("{\"a\":null,\"b\":[1,\"x\\\"y\"],\"\uFFFF\":2.5,\"😀\":true}");
        assertThat(Values.compare(m, new LinkedHashMap<>(m))).isZero();
    }

    @Test
    void canonicalTextSurvivesCyclesAndDepth() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(1L);
        cyclic.add(cyclic);
        assertThat(Values.canonicalText(cyclic)).startsWith("[1,");
        Object deep = "leaf";
        for (int i = 0; i < 100_000; i++) {
            deep = List.of(deep);
        }
        assertThat(Values.canonicalText(deep)).startsWith("[[[[").doesNotContain("leaf");
    }
}
