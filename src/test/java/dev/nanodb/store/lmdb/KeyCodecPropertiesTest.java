package dev.nanodb.store.lmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.filter.Values;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The index key encoding must order values exactly as the filter language compares them, be decodable, and be
 * self-delimiting (a value's encoding followed by a record id must still order by value first).
 */
class KeyCodecPropertiesTest {

    private static final int[] INTERESTING_CODE_POINTS = {0, 1, 'A', 'a', 'b', 'z', 0x7F, 0x80, 0xE9, 0xFF, 0x7FF,
        0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1D11E, 0x1F600, 0x10FFFF};

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(true, false), numbers(), strings());
    }

    @Provide
    Arbitrary<Object> numbers() {
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, 1.0, -1.0, 0.5, -0.5, Double.MIN_VALUE,
                -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -1e-300, 1e300,
                -1e300, 0x1p53, 0x1p53 + 2, -0x1p53, 0x1p63, -0x1p63, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY);
        Arbitrary<Long> longs = Arbitraries.oneOf(Arbitraries.longs().between(-20, 20), Arbitraries.longs(),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, (1L << 53), (1L << 53) + 1, -(1L << 53) - 1, 0L));
        Arbitrary<Double> doubles = Arbitraries.oneOf(special, Arbitraries.doubles(),
                Arbitraries.doubles().between(-3, 3).ofScale(2), longs.map(Long::doubleValue));
        return Arbitraries.oneOf(longs.map(l -> (Object) l), doubles.map(d -> (Object) d));
    }

    /** Well-formed strings, biased toward a small alphabet so that equal strings and prefixes are common. */
    @Provide
    Arbitrary<Object> strings() {
        Arbitrary<Integer> small = Arbitraries.of(0, (int) 'a', (int) 'b', 0xE9, 0x1F600);
        Arbitrary<Integer> interesting = Arbitraries.of(Arrays.stream(INTERESTING_CODE_POINTS).boxed().toList());
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        return Arbitraries.oneOf(small, interesting, any).list().ofMaxSize(6).map(KeyCodecPropertiesTest::text);
    }

    private static Object text(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static int keyOrder(Object a, Object b) {
        return Integer.signum(Arrays.compareUnsigned(KeyCodec.encode(a), KeyCodec.encode(b)));
    }

    @Property(tries = 5000)
    void byteOrderIsTheValueOrder(@ForAll("values") Object a, @ForAll("values") Object b) {
        assertThat(keyOrder(a, b)).as("%s vs %s", a, b).isEqualTo(Integer.signum(Values.compare(a, b)));
    }

    @Property(tries = 3000)
    void byteOrderIsTheValueOrderForNumbers(@ForAll("numbers") Object a, @ForAll("numbers") Object b) {
        assertThat(keyOrder(a, b)).as("%s vs %s", a, b).isEqualTo(Integer.signum(Values.compare(a, b)));
    }

    @Property(tries = 3000)
    void byteOrderIsTheValueOrderForStrings(@ForAll("strings") Object a, @ForAll("strings") Object b) {
        assertThat(keyOrder(a, b)).as("%s vs %s", a, b).isEqualTo(Integer.signum(Values.compare(a, b)));
    }

    @Property(tries = 3000)
    void decodeInvertsEncode(@ForAll("values") Object v) {
        byte[] key = KeyCodec.encode(v);
        byte[] padded = new byte[key.length + 7];
        System.arraycopy(key, 0, padded, 3, key.length);
        padded[padded.length - 1] = 'x';
        int[] end = new int[1];
        Object decoded = KeyCodec.decode(padded, 3, end);
        assertThat(end[0]).isEqualTo(3 + key.length);
        if (v instanceof Number) {
            assertThat(decoded).isInstanceOf(Double.class);
            assertThat(Values.compare(decoded, v)).as("%s decoded as %s", v, decoded).isZero();
        } else {
            assertThat(decoded).isEqualTo(v);
        }
        assertThat(KeyCodec.encode(decoded)).isEqualTo(key);
    }

    @Property(tries = 3000)
    void aStringSortsBeforeEveryLongerStringItPrefixes(@ForAll("strings") Object s, @ForAll("strings") Object more) {
        String longer = s + (((String) more).isEmpty() ? "\u0000" : (String) more);
        assertThat(keyOrder(s, longer)).isEqualTo(-1);
    }

    @Property(tries = 3000)
    void encodingsAreSelfDelimiting(@ForAll("values") Object a, @ForAll("values") Object b,
                                    @ForAll("ids") String idA, @ForAll("ids") String idB) {
        int byValue = Integer.signum(Values.compare(a, b));
        byte[] ka = concat(KeyCodec.encode(a), idA.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] kb = concat(KeyCodec.encode(b), idB.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int byKey = Integer.signum(Arrays.compareUnsigned(ka, kb));
        if (byValue != 0) {
            assertThat(byKey).as("%s+%s vs %s+%s", a, idA, b, idB).isEqualTo(byValue);
        } else {
            assertThat(byKey).isEqualTo(Integer.signum(idA.compareTo(idB)));
        }
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("0123456789abcdefghijklmnopqrstuvwxyz").ofLength(15);
    }

    @Example
    void equalNumbersOfDifferentTypesShareAKey() {
        assertThat(KeyCodec.encode(1L)).isEqualTo(KeyCodec.encode(1.0));
        assertThat(KeyCodec.encode(0L)).isEqualTo(KeyCodec.encode(-0.0));
        assertThat(keyOrder(-1e-300, 0L)).isEqualTo(-1);
        assertThat(keyOrder(Double.NEGATIVE_INFINITY, Long.MIN_VALUE)).isEqualTo(-1);
    }

    @Example
    void typeRanksOrderNullBooleansNumbersStrings() {
        assertThat(keyOrder(null, false)).isEqualTo(-1);
        assertThat(keyOrder(true, Double.NEGATIVE_INFINITY)).isEqualTo(-1);
        assertThat(keyOrder(Double.POSITIVE_INFINITY, "")).isEqualTo(-1);
        assertThat(keyOrder("", "\u0000")).isEqualTo(-1);
        assertThat(keyOrder("\uFFFF", "\uD83D\uDE00")).isEqualTo(-1);
    }

    /** Any Java string, lone surrogates included (a JSON document may carry {@code "\ud800"}). */
    @Provide
    Arbitrary<String> anyStrings() {
        Arbitrary<Character> chars = Arbitraries.oneOf(Arbitraries.of('?', 'a', '\uD800', '\uDBFF', '\uDC00',
                '\uDFFF', '\uE000', '\uFFFF'), Arbitraries.chars());
        return chars.list().ofMaxSize(4).map(cs -> cs.stream().map(String::valueOf).reduce("", String::concat));
    }

    @Property(tries = 3000)
    void byteOrderIsTheValueOrderForAnyJavaString(@ForAll("anyStrings") String a, @ForAll("anyStrings") String b) {
        assertThat(keyOrder(a, b)).as("%s vs %s", escape(a), escape(b))
                .isEqualTo(Integer.signum(Values.compare(a, b)));
    }

    @Property(tries = 2000)
    void anyJavaStringRoundTripsWithItsOwnKey(@ForAll("anyStrings") String s) {
        int[] end = new int[1];
        assertThat(KeyCodec.decode(KeyCodec.encode(s), 0, end)).isEqualTo(s);
        assertThat(end[0]).isEqualTo(KeyCodec.encode(s).length);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x7F && c >= 0x20 ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return sb.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
