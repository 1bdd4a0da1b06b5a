package dev.nanodb.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a GreenMail server in this JVM received, as JSON over HTTP ({@code GET /messages} → {@code [{to, subject,
 * body}]}), so the SDK tests in Node can read the mail NanoDB sent: the SMTP server stays real, only the reading side
 * is a test convenience.
 */
public final class MailboxHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    public MailboxHttp(GreenMail mail) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/messages", exchange -> {
            byte[] body = JSON.writeValueAsBytes(messages(mail));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/messages";
    }

    private static List<Map<String, String>> messages(GreenMail mail) {
        List<Map<String, String>> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            try {
                Map<String, String> one = new LinkedHashMap<>();
                one.put("to", m.getAllRecipients()[0].toString());
                one.put("subject", m.getSubject());
                one.put("body", new String(GreenMailUtil.getBody(m).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                        .replace("=\r\n", "").replace("=3D", "="));
                out.add(one);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
