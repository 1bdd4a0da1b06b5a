package dev.nanodb.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanodb.config.IpRange;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which address is the client, for a socket peer, an X-Forwarded-For value and the trusted proxies; and which key
 * the limits count it under (IPv6 by network).
 */
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
        ClientIps ips = new ClientIps(Arrays.stream(trusted.split(",")).filter(s -> !s.isBlank()).map(IpRange::parse).toList(), 64);
        assertThat(ips.resolve(socket, forwardedFor)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "/{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "64|2001:db8:1:2::1|2001:db8:1:2:0:0:0:0/64",
        "64|2001:db8:1:2:ffff::9|2001:db8:1:2:0:0:0:0/64",
        "64|2001:DB8:1:2:0:0:0:1|2001:db8:1:2:0:0:0:0/64",
        "64|2001:db8:1:3::1|2001:db8:1:3:0:0:0:0/64",
        "64|0:0:0:0:0:0:0:1|0:0:0:0:0:0:0:0/64",
        "64|fe80:0:0:0:0:0:0:1%1|fe80:0:0:0:0:0:0:0/64",
        "64|10.0.0.1|10.0.0.1",
        "64|::ffff:10.0.0.1|10.0.0.1",
        "64|unknown|unknown",
        "64|not:an:address:at:all|not:an:address:at:all",
        "48|2001:db8:1:2::1|2001:db8:1:0:0:0:0:0/48",
        "48|2001:db8:1:ffff::1|2001:db8:1:0:0:0:0:0/48",
        "56|2001:db8:1:2ff::1|2001:db8:1:200:0:0:0:0/56",
        "32|2001:db8:ffff:1::1|2001:db8:0:0:0:0:0:0/32",
        "128|2001:db8:1:2::1|2001:db8:1:2:0:0:0:1",
        "128|::ffff:10.0.0.1|10.0.0.1",
        "128|10.0.0.1|10.0.0.1"})
    void limitsCountAnIpv6ClientByItsNetworkAndAnIpv4ClientByItsAddress(int prefix, String ip, String key) {
        assertThat(new ClientIps(List.of(), prefix).key(ip)).isEqualTo(key);
    }

    @Test
    void addressesOfOneSlash64ShareAKeyAndNeighbouringNetworksDoNot() {
        ClientIps ips = new ClientIps(List.of(), 64);
        assertThat(ips.key("2001:db8:1:2::1")).isEqualTo(ips.key("2001:db8:1:2:ffff::9"));
        assertThat(ips.key("2001:db8:1:2::1")).isNotEqualTo(ips.key("2001:db8:1:3::1"));
        assertThat(ips.key("::ffff:10.0.0.1")).isEqualTo(ips.key("10.0.0.1"));
        assertThat(ips.key("10.0.0.1")).isNotEqualTo(ips.key("10.0.0.2"));
        String ipv4 = "10.0.0.1";
        assertThat(ips.key(ipv4)).isSameAs(ipv4);
    }

    @Test
    void aForwardedIpv6ClientIsGroupedAfterItIsResolved() {
        ClientIps ips = new ClientIps(List.of(IpRange.parse("2001:db8:ff::/48")), 64);
        String client = ips.resolve("2001:db8:ff::1", "2001:db8:1:2::77, 2001:db8:ff::2");
        assertThat(client).isEqualTo("2001:db8:1:2:0:0:0:77");
        assertThat(ips.key(client)).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    }

    @ParameterizedTest
    @CsvSource({"31", "129"})
    void aPrefixOutsideThirtyTwoToOneHundredTwentyEightIsRefused(int prefix) {
        assertThatThrownBy(() -> new ClientIps(List.of(), prefix)).isInstanceOf(IllegalArgumentException.class);
    }
}
