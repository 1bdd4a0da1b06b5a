package dev.nanodb.api;

import static dev.nanodb.api.Attack.ANON;
import static dev.nanodb.api.Attack.ANY;
import static dev.nanodb.api.Attack.BOB;
import static dev.nanodb.api.Attack.EXHAUSTION;
import static dev.nanodb.api.Attack.RULES;
import static dev.nanodb.api.Attack.attack;
import static dev.nanodb.api.Attack.http;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanodb.filter.Values;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The request logs as an attacker meets them: only a superuser reads them; what a request carries as a credential
 * (a file token, a password or an OAuth2 code in the URL, a reset token in the referer, the Authorization header)
 * never reaches an entry; a flood of long requests never grows the log file past {@code LOGS_MAX_SIZE}; and the
 * costliest filter a superuser can send over every entry runs on a worker within its budget, never stalling others.
 */
final class AdversarialLogCases {
    private AdversarialLogCases() {}

    private static final String[] MARKERS = {"LOGTOKEN7731", "LOGPASS7732", "LOGCODE7733", "LOGSTATE7734", "LOGREF7735", "LOGAUTH7736"};

    static List<Attack> all() {
        List<Attack> c = new ArrayList<>();
        c.add(http(RULES, "bob lists the request logs", BOB, "GET", "/api/logs", null, 403));
        c.add(http(RULES, "bob reads the request logs statistics", BOB, "GET", "/api/logs/stats?filter=level%3E0", null, 403));
        c.add(http(RULES, "an anonymous caller lists the request logs", ANON, "GET", "/api/logs?filter=data.auth%3D%27users%27", null, 401));
        c.add(attack(RULES, "credentials in URLs, the referer and the Authorization header never reach the logs", 404, s -> {
            s.send(ANON, "GET", "/api/files/albums/{album}/{privateFile}?token=" + MARKERS[0] + "&password=" + MARKERS[1] + "&thumb=100x100", null);
            s.send(ANON, "GET", "/api/oauth2-redirect?code=" + MARKERS[2] + "&state=" + MARKERS[3], null);
            s.send(ANON, "GET", "/api/collections/posts/records", null, "Referer", "https://app.test/reset?token=" + MARKERS[4]);
            s.send(ANON, "GET", "/api/collections/posts/records?x=1", null, "Authorization", "Bearer " + MARKERS[5]);
        }).then(s -> {
            String logs = s.admin("GET", Step.url("/api/logs", "perPage", "1000", "sort", "-created",
                    "filter", "data.url ~ '/api/files/albums/' || data.url ~ '/api/oauth2-redirect' || data.url ~ '/api/collections/posts/records'"), null).body();
            assertThat(logs).contains("token=REDACTED&password=REDACTED&thumb=100x100", "reset?token=REDACTED");
            for (String marker : MARKERS) assertThat(logs).as("the logs hold " + marker).doesNotContain(marker);
        }));
        c.add(attack(EXHAUSTION, "a flood of long requests never grows the logs past LOGS_MAX_SIZE", 404, s -> {
            String pad = "a".repeat(1900);
            for (int i = 0; i < 800; i++) s.send(ANON, "GET", "/api/collections/nope/records?x=" + pad + i, null);
        }).env("LOGS_MAX_SIZE", "1MB").then(s -> {
            JsonNode logs = AdversarialTest.json(s.admin("GET", "/api/logs?perPage=1&filter=data.url~'/nope/'", null).body());
            JsonNode stats = AdversarialTest.json(s.admin("GET", "/api/stats", null).body()).path("logs");
            assertThat(logs.path("totalItems").asLong()).as("entries kept of 800").isBetween(1L, 799L);
            assertThat(stats.path("bytes").asLong()).isLessThanOrEqualTo(stats.path("maxBytes").asLong());
            assertThat(Files.size(s.w.server.dataDir().resolve("logs").resolve("data.mdb"))).isLessThanOrEqualTo(1L << 20);
        }));
        String worst = AdversarialRealtimeCases.worst();
        c.add(attack(EXHAUSTION, "the worst LIKE patterns over every log entry, as a superuser", 200, s -> s.sendToken(
                s.w.server.superuserToken(), "GET", Step.url("/api/logs", "fields", "id", "filter", IntStream.range(0, 14)
                        .mapToObj(i -> "data.url ~ '" + worst.replace('b', (char) ('b' + i)) + "'").collect(Collectors.joining(" || "))), null))
                .then(s -> assertThat(s.first().body()).startsWith("{\"page\":1,").contains("\"totalItems\":")));
        c.add(attack(EXHAUSTION, "a 513-character pattern over the logs", 400, s -> s.sendToken(s.w.server.superuserToken(), "GET",
                Step.url("/api/logs/stats", "filter", "message ~ '" + "a".repeat(Values.MAX_PATTERN + 1) + "'"), null)));
        return c;
    }
}
