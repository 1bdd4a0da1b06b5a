package dev.nanodb.api;

import static dev.nanodb.api.Step.create;
import static dev.nanodb.api.Step.list;
import static dev.nanodb.api.Step.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Who a per-client limit counts: an IPv6 client by its network ({@code RATE_LIMIT_IPV6_PREFIX}, default /64), an
 * IPv4 client (also IPv4-mapped) by its address — for the route limits, the failed-login limit and the realtime
 * streams per client. The clients arrive through a trusted proxy ({@code X-Forwarded-For}), so the grouping is
 * shown to apply to the resolved client.
 */
class RateLimitClientsTest {
    private static final String NOTES_LIMIT = "GET /api/collections/notes/records 1/1m";
    private static final String LOGIN = "/api/collections/users/auth-with-password";

    @TestFactory
    Stream<DynamicTest> clients() {
        return ScenarioRunner.tests(scenarios());
    }

    /** {@code GET notes} as the client {@code ip}, forwarded by the test's trusted proxy. */
    private static Step listFrom(String ip) {
        return list("notes").header("X-Forwarded-For", ip);
    }

    /** A failed login of {@code who} from the client {@code ip}. */
    private static Step badLoginFrom(String ip, String who) {
        return post(LOGIN, "{'identity':'" + who + "@example.com','password':'wrong-password'}").as("anon")
                .header("X-Forwarded-For", ip);
    }

    static List<Scenario> scenarios() {
        return List.of(
                Scenario.named("two addresses of one IPv6 /64 share a window; the next /64 has its own")
                        .env("RATE_LIMITS", NOTES_LIMIT).env("TRUSTED_PROXIES", "127.0.0.1")
                        .given(create("notes", "{'x':1}"), listFrom("2001:db8:1:2::1").expect(200))
                        .when(listFrom("2001:db8:1:2:ffff::9").expect(429).responseHeader("Retry-After", ""))
                        .then(listFrom("2001:db8:1:3::1").expect(200), listFrom("2001:db8:1:3:abcd::1").expect(429)),
                Scenario.named("IPv4 clients are counted per address, an IPv4-mapped address as the IPv4 one")
                        .env("RATE_LIMITS", NOTES_LIMIT).env("TRUSTED_PROXIES", "127.0.0.1")
                        .given(create("notes", "{'x':1}"), listFrom("198.51.100.1").expect(200))
                        .when(listFrom("198.51.100.2").expect(200))
                        .then(listFrom("::ffff:198.51.100.1").expect(429)),
                Scenario.named("RATE_LIMIT_IPV6_PREFIX=128 counts each IPv6 address alone")
                        .env("RATE_LIMITS", NOTES_LIMIT).env("TRUSTED_PROXIES", "127.0.0.1")
                        .env("RATE_LIMIT_IPV6_PREFIX", "128")
                        .given(create("notes", "{'x':1}"), listFrom("2001:db8:1:2::1").expect(200))
                        .when(listFrom("2001:db8:1:2:ffff::9").expect(200))
                        .then(listFrom("2001:db8:1:2:0:0:0:1").expect(429)),
                Scenario.named("RATE_LIMIT_IPV6_PREFIX=48 counts neighbouring /64s as one client")
                        .env("RATE_LIMITS", NOTES_LIMIT).env("TRUSTED_PROXIES", "127.0.0.1")
                        .env("RATE_LIMIT_IPV6_PREFIX", "48")
                        .given(create("notes", "{'x':1}"), listFrom("2001:db8:1:2::1").expect(200))
                        .when(listFrom("2001:db8:1:3::1").expect(429))
                        .then(listFrom("2001:db8:2:2::1").expect(200)),
                Scenario.named("the failed-login limit counts an IPv6 client by its /64")
                        .env("AUTH_RATE_LIMIT", "2/1m").env("TRUSTED_PROXIES", "127.0.0.0/8")
                        .given(badLoginFrom("2001:db8:1:2::1", "a").expect(400), badLoginFrom("2001:db8:1:2::2", "b").expect(400))
                        .when(badLoginFrom("2001:db8:1:2::3", "c").expect(429).responseHeader("Retry-After", ""))
                        .then(badLoginFrom("2001:db8:1:3::1", "d").expect(400)));
    }

    /** One stream per client: a second address of the same /64 is refused, another /64 and IPv4 clients are not. */
    @Test
    void realtimeStreamsPerClientCountAnIpv6ClientByItsSlash64() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<InputStream> open = new ArrayList<>();
        try (TestServer s = TestServer.start(Map.of("REALTIME_STREAMS_PER_IP", "1", "TRUSTED_PROXIES", "127.0.0.1"))) {
            assertThat(stream(http, s, "2001:db8:1:2::1", open)).isEqualTo(200);
            assertThat(stream(http, s, "2001:db8:1:2:ffff::9", open)).isEqualTo(429);
            assertThat(stream(http, s, "2001:db8:1:3::1", open)).isEqualTo(200);
            assertThat(stream(http, s, "198.51.100.1", open)).isEqualTo(200);
            assertThat(stream(http, s, "198.51.100.2", open)).isEqualTo(200);
            assertThat(stream(http, s, "::ffff:198.51.100.2", open)).isEqualTo(429);
        } finally {
            for (InputStream in : open) in.close();
            http.shutdownNow();
        }
    }

    /** Opens {@code GET /api/realtime} as {@code ip} and answers its status; an open stream is kept in {@code open}. */
    private static int stream(HttpClient http, TestServer s, String ip, List<InputStream> open) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/api/realtime"))
                .header("X-Forwarded-For", ip).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        open.add(r.body());
        return r.statusCode();
    }
}
