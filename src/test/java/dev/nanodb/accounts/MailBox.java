package dev.nanodb.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.nanodb.testing.Eventually;
import dev.nanodb.testing.TestServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the account flows mailed to a GreenMail server, and points a test server's SMTP settings at it. */
final class MailBox {
    private static final Pattern TOKEN = Pattern.compile("confirm-[a-z-]+/([A-Za-z0-9_.-]+)");
    private final GreenMailExtension smtp;

    MailBox(GreenMailExtension smtp) {
        this.smtp = smtp;
    }

    void use(TestServer s) {
        var r = s.asSuperuser("PATCH", "/api/settings", "{\"meta\":{\"appName\":\"Acme\",\"appURL\":\"https://acme.test\"},"
                + "\"smtp\":{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + smtp.getSmtp().getPort() + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    List<MimeMessage> to(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> recipient(m).equals(address)).toList();
    }

    /** The one message to {@code address}, waited for. */
    MimeMessage only(String address) {
        Eventually.holds(() -> assertThat(to(address)).hasSize(1));
        return to(address).get(0);
    }

    /** The token in the link of the one message to {@code address}. */
    String token(String address) {
        String body = GreenMailUtil.getBody(only(address));
        String flat = body.replace("=\r\n", "").replace("=3D", "=");
        Matcher m = TOKEN.matcher(flat);
        assertThat(m.find()).as("a confirmation link in " + flat).isTrue();
        return m.group(1);
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
