package dev.nanodb.mail;

import static org.assertj.core.api.Assertions.assertThat;


import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.nanodb.testing.Eventually;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox against a real SMTP server in this JVM (GreenMail), a closed port and a server that never answers. */
class OutboxTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final Mail MAIL = new Mail("Support Team", "support@example.com", "ann@example.com", "Hello Ann",
            "<p>Your code is <b>123456</b>.</p>");

    private SmtpServer greenMail() {
        return new SmtpServer(true, "127.0.0.1", SMTP.getSmtp().getPort(), "", "", "PLAIN", false, "");
    }

    private static SmtpServer at(int port) {
        return new SmtpServer(true, "127.0.0.1", port, "", "", "PLAIN", false, "");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMessageArrivesWithItsSenderSubjectAndBothBodies() throws Exception {
        try (Outbox outbox = new Outbox(this::greenMail, 10, List.of())) {
            assertThat(outbox.offer(MAIL)).isTrue();
            assertThat(SMTP.waitForIncomingEmail(10_000, 1)).isTrue();
            MimeMessage m = SMTP.getReceivedMessages()[0];
            assertThat(m.getSubject()).isEqualTo("Hello Ann");
            assertThat(m.getFrom()[0].toString()).isEqualTo("Support Team <support@example.com>");
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
            String raw = GreenMailUtil.getWholeMessage(m);
            assertThat(raw).contains("text/plain").contains("text/html").contains("<b>123456</b>").contains("Your code is 123456.");
            Eventually.holds(() -> assertThat(outbox.stats().sent()).isEqualTo(1));
            assertThat(outbox.stats().queued()).isZero();
        }
    }

    @Test
    void aServerThatIsDownIsRetriedThenGivenUpAndCounted() throws Exception {
        int port = closedPort();
        try (Outbox outbox = new Outbox(() -> at(port), 10, List.of(Duration.ofMillis(20), Duration.ofMillis(20)))) {
            assertThat(outbox.offer(MAIL)).isTrue();
            Eventually.holds(() -> assertThat(outbox.stats().failed()).isEqualTo(1));
            Outbox.Stats s = outbox.stats();
            assertThat(s.retried()).isEqualTo(2);
            assertThat(s.sent()).isZero();
            assertThat(s.queued()).isZero();
            assertThat(s.lastError()).contains("Connect");
        }
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void aRetryReadsTheSettingsAgainSoAFixedServerDeliversTheWaitingMessage() throws Exception {
        AtomicReference<SmtpServer> server = new AtomicReference<>(at(closedPort()));
        try (Outbox outbox = new Outbox(server::get, 10, List.of(Duration.ofMillis(300)))) {
            outbox.offer(MAIL);
            Eventually.holds(() -> assertThat(outbox.stats().retried()).isEqualTo(1));
            server.set(greenMail());
            assertThat(SMTP.waitForIncomingEmail(10_000, 1)).isTrue();
            Eventually.holds(() -> assertThat(outbox.stats().sent()).isEqualTo(1));
            assertThat(outbox.stats().failed()).isZero();
        }
    }

    @Test
    void beyondItsCapacityAMessageIsDroppedAtOnceNeverQueued() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             Outbox outbox = new Outbox(() -> at(silent.getLocalPort()), 1, List.of())) {
            assertThat(outbox.offer(MAIL)).isTrue();
            try (Socket held = silent.accept()) {
                assertThat(outbox.offer(MAIL)).isFalse();
                assertThat(outbox.offer(MAIL)).isFalse();
                assertThat(outbox.stats().dropped()).isEqualTo(2);
                assertThat(outbox.stats().queued()).isEqualTo(1);
            }
            Eventually.holds(() -> assertThat(outbox.stats().failed()).isEqualTo(1));
            assertThat(outbox.stats().queued()).isZero();
        }
    }

    @Test
    void whileSmtpIsDisabledNothingIsSentAndTheMessageIsCountedAsUnsent() throws Exception {
        try (Outbox outbox = new Outbox(() -> SmtpServer.DISABLED, 10, List.of())) {
            outbox.offer(MAIL);
            Eventually.holds(() -> assertThat(outbox.stats().unsent()).isEqualTo(1));
            assertThat(outbox.sendNow(MAIL)).failsWithin(Duration.ofSeconds(10));
        }
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendNowReportsTheServersRefusalWithoutRetrying() throws Exception {
        int port = closedPort();
        try (Outbox outbox = new Outbox(() -> at(port), 10, List.of(Duration.ofMillis(10)))) {
            assertThat(outbox.sendNow(MAIL)).failsWithin(Duration.ofSeconds(30));
            assertThat(outbox.stats().retried()).isZero();
            assertThat(outbox.stats().failed()).isEqualTo(1);
        }
    }
}
