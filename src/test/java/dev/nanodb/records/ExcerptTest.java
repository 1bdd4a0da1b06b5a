package dev.nanodb.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.error.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PocketBase's {@code :excerpt} as {@link Excerpt} reproduces it: tags, dropped content, spacing, cutting. */
class ExcerptTest {
    private static Object excerpt(String modifier, Object value) {
        return Excerpt.parse(modifier).apply(value);
    }

    @Test
    void blocksAreSeparatedInlineElementsAreNot() {
        assertThat(excerpt("excerpt(100)", "<h1>Title</h1><p>a<b>b</b>c</p><div>d<br>e</div>")).isEqualTo("Title abc de"); // br is inline in PocketBase's list
    }

    @Test
    void scriptsStylesAndFormControlsAreDroppedWithTheirContent() {
        assertThat(excerpt("excerpt(100)", "a<script>var x = '<p>';</script>b<STYLE>p{}</STYLE>c<select><option>o</option></select>d"))
                .isEqualTo("a b c d");
        assertThat(excerpt("excerpt(100)", "<p>kept</p><script>never closed")).isEqualTo("kept");
        assertThat(excerpt("excerpt(100)", "x<img src=a.png>y<!-- a <b>comment</b> -->z")).isEqualTo("x yz");
    }

    @Test
    void entitiesAreDecodedAndWhitespaceCollapsed() {
        assertThat(excerpt("excerpt(100)", "  a &lt;b&gt; &amp;\n\n\t c &#233;&#x41; &unknown; ")).isEqualTo("a <b> & c éA &unknown;");
    }

    @Test
    void cutsAtCodePointsAndAddsTheEllipsisOnlyWhenCut() {
        assertThat(excerpt("excerpt(3,true)", "😀😀😀😀")).isEqualTo("😀😀😀...");
        assertThat(excerpt("excerpt(4,true)", "😀😀😀😀")).isEqualTo("😀😀😀😀");
        assertThat(excerpt("excerpt(6, 1)", "Hello world")).isEqualTo("Hello...");
        assertThat(excerpt("excerpt(6,false)", "Hello world")).isEqualTo("Hello");
    }

    @Test
    void valuesThatAreNotStringsStayAsTheyAre() {
        assertThat(excerpt("excerpt(1)", 12345L)).isEqualTo(12345L);
        assertThat(excerpt("excerpt(1)", List.of("abc"))).isEqualTo(List.of("abc"));
        assertThat(excerpt("excerpt(1)", null)).isNull();
    }

    @Test
    void badModifiersAreRefused() {
        for (String bad : List.of("excerpt()", "excerpt(0)", "excerpt(-1)", "excerpt(5,maybe)", "excerpt(1,2,3)", "upper()")) {
            assertThatThrownBy(() -> Excerpt.parse(bad)).as(bad).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void fieldsSplitOnlyOutsideParentheses() {
        assertThat(Excerpt.split("id, body:excerpt(10,true),*")).containsExactly("id", "body:excerpt(10,true)", "*");
    }
}
