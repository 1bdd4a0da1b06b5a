package dev.nanodb.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Sends one message through one SMTP server, blocking, with connect, read and write timeouts, so a server that
 * accepts the connection and then says nothing holds the sending thread for bounded time only.
 */
final class SmtpSender {
    static final int TIMEOUT_MS = 15_000;

    private SmtpSender() {}

    static void send(SmtpServer server, Mail mail) throws MessagingException {
        Session session = Session.getInstance(properties(server));
        MimeMessage message = new MimeMessage(session);
        try {
            message.setFrom(new InternetAddress(mail.fromAddress(), mail.fromName(), StandardCharsets.UTF_8.name()));
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("cannot encode the sender's name", e);
        }
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(Templates.plainText(mail.html()), StandardCharsets.UTF_8.name());
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(mail.html(), "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", text, html));
        String protocol = server.tls() ? "smtps" : "smtp";
        try (Transport transport = session.getTransport(protocol)) {
            boolean auth = !server.username().isEmpty();
            transport.connect(server.host(), server.port(), auth ? server.username() : null, auth ? server.password() : null);
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static Properties properties(SmtpServer server) {
        String p = server.tls() ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put(p + "connectiontimeout", String.valueOf(TIMEOUT_MS));
        props.put(p + "timeout", String.valueOf(TIMEOUT_MS));
        props.put(p + "writetimeout", String.valueOf(TIMEOUT_MS));
        if (!server.username().isEmpty()) {
            props.put(p + "auth", "true");
            props.put(p + "auth.mechanisms", "LOGIN".equalsIgnoreCase(server.authMethod()) ? "LOGIN" : "PLAIN");
        }
        if (!server.tls()) props.put("mail.smtp.starttls.enable", "true");
        // credentials never travel in clear: without implicit TLS, a server (or someone between) that offers no
        // STARTTLS gets no AUTH at all
        if (!server.tls() && !server.username().isEmpty()) props.put("mail.smtp.starttls.required", "true");
        if (server.tls()) props.put("mail.smtps.ssl.checkserveridentity", "true");
        if (!server.localName().isEmpty()) props.put(p + "localhost", server.localName());
        return props;
    }
}
