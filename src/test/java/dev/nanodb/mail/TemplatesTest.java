package dev.nanodb.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    private static final Map<String, String> VALUES = Map.of("APP_NAME", "Acme <b>", "APP_URL", "https://acme.test",
            "TOKEN", "abc.def", "RECORD:name", "<script>alert(1)</script>\"'&", "OTP", "123456");

    @Test
    void aBodyFillsEveryPlaceholderAndEscapesEveryValue() {
        String body = Templates.body("<a href=\"{APP_URL}/_/#/reset/{TOKEN}\">Reset</a> for {RECORD:name} at {APP_NAME}: {OTP}", VALUES);
        assertThat(body).isEqualTo("<a href=\"https://acme.test/_/#/reset/abc.def\">Reset</a> for "
                + "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; at Acme &lt;b&gt;: 123456");
    }

    @Test
    void aSubjectTakesValuesAsTheyAreButNeverALineBreak() {
        assertThat(Templates.subject("Welcome to {APP_NAME}", Map.of("APP_NAME", "Acme\r\nBcc: evil@x.io")))
                .isEqualTo("Welcome to Acme Bcc: evil@x.io");
        assertThat(Templates.subject("{APP_NAME} <code>", VALUES)).isEqualTo("Acme <b> <code>");
    }

    @Test
    void aPlaceholderWithoutAValueAndUnknownBracesAreLeftAsWritten() {
        assertThat(Templates.body("{OTP_ID} {NOT_ONE} {RECORD:email} {}", VALUES)).isEqualTo("{OTP_ID} {NOT_ONE} {RECORD:email} {}");
    }

    @Test
    void thePlainTextAlternativeKeepsLinesAndDropsTags() {
        assertThat(Templates.plainText("<p>Hello &amp; welcome</p><p>Line<br/>two</p>")).isEqualTo("Hello & welcome\nLine\ntwo");
    }
}
