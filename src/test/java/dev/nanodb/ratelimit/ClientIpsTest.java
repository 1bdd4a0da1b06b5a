package dev.nanodb.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.config.IpRange;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which address is the client, for a socket peer, an X-Forwarded-For value and the trusted proxies. */
class ClientIpsTest {

    @ParameterizedTest(name = "trusted [{0}], socket {1}, XFF [{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "''|127.0.0.1|198.51.100.1|127.0.0.1",
        "127.0.0.1|127.0.0.1|null|127.0.0.1",
        "127.0.0.1|127.0.0.1|198.51.100.1|198.51.100.1",
        "10.0.0.0/8|192.0.2.7|198.51.100.1|192.0.2.7",
        "10.0.0.0/8|10.1.2.3|198.51.100.1, 10.9.9.9|198.51.100.1",
        "10.0.0.0/8|10.1.2.3|203.0.113.5, 198.51.100.1, 10.9.9.9|198.51.100.1",
        "10.0.0.0/8|10.1.2.3|10.0.0.5, 10.9.9.9|10.0.0.5",
        "10.0.0.0/8|10.1.2.3|not-an-ip, 10.9.9.9|10.1.2.3",
        "10.0.0.0/8|10.1.2.3|' '|10.1.2.3",
        "10.0.0.0/8|::ffff:10.1.2.3|198.51.100.1|198.51.100.1",
        "10.0.0.0/8|10.1.2.3|::ffff:198.51.100.1|198.51.100.1",
        "::1, fd00::/8|::1|2001:db8::1, fd12::3|2001:db8:0:0:0:0:0:1",
        "::1|0:0:0:0:0:0:0:1|198.51.100.1|198.51.100.1"})
    void resolves(String trusted, String socket, String forwardedFor, String expected) {
        ClientIps ips = new ClientIps(Arrays.stream(trusted.split(",")).filter(s -> !s.isBlank()).map(IpRange::parse).toList());
        assertThat(ips.resolve(socket, forwardedFor)).isEqualTo(expected);
    }
}
