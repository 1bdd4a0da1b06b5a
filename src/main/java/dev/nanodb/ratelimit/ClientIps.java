package dev.nanodb.ratelimit;

import dev.nanodb.config.IpRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who the client is: the socket's peer address, unless that peer is a trusted proxy ({@code TRUSTED_PROXIES}).
 * Then {@code X-Forwarded-For} is read from the right (each proxy appends the address it saw), skipping trusted
 * proxies; the first untrusted address is the client. Addresses left of it were written by the client itself
 * and are never believed. An entry that is not an IP address ends the walk with the socket's address, so a
 * malformed header can never name an arbitrary client.
 *
 * <p>And what a client is limited as ({@link #key}): an IPv6 client holds a whole network (a /64 is the smallest
 * any provider hands out, and picking another of its 2^64 addresses costs nothing), so every per-client limit
 * counts the network of {@code RATE_LIMIT_IPV6_PREFIX} bits, not the address. The key is derived from the
 * resolved client, so it groups forwarded clients exactly like direct ones.
 */
public final class ClientIps {
    private final List<IpRange> trusted;
    private final int ipv6Prefix;

    /** @param ipv6Prefix the bits of an IPv6 address that name its client (32 to 128; 128 = the address) */
    public ClientIps(List<IpRange> trusted, int ipv6Prefix) {
        if (ipv6Prefix < 32 || ipv6Prefix > 128) throw new IllegalArgumentException("IPv6 prefix " + ipv6Prefix);
        this.trusted = List.copyOf(trusted);
        this.ipv6Prefix = ipv6Prefix;
    }

    /** Whether {@link #resolve} can ever look past the socket (no proxies trusted: it never does). */
    public boolean readsForwardedFor() {
        return !trusted.isEmpty();
    }

    /**
     * @param socketIp     the peer address of the connection
     * @param forwardedFor every {@code X-Forwarded-For} value joined with commas, or null when absent
     */
    public String resolve(String socketIp, String forwardedFor) {
        if (forwardedFor == null || !isTrusted(IpRange.address(socketIp))) return socketIp;
        String[] hops = forwardedFor.split(",");
        byte[] leftmost = null;
        for (int i = hops.length - 1; i >= 0; i--) {
            byte[] hop = IpRange.address(hops[i].strip());
            if (hop == null) return socketIp;
            if (!isTrusted(hop)) return text(hop, socketIp);
            leftmost = hop;
        }
        return leftmost == null ? socketIp : text(leftmost, socketIp);
    }

    /**
     * The key every per-client limit counts {@code clientIp} under (route limits, failed logins, realtime streams):
     * an IPv4 address, also an IPv4-mapped one, as itself in dotted form; an IPv6 address as its network
     * ({@code 2001:db8:1:2:0:0:0:0/64}), or as itself with a prefix of 128. Anything else is returned unchanged.
     * An address without {@code :} is returned as it is, without parsing or allocating: the common case stays free.
     */
    public String key(String clientIp) {
        if (clientIp.indexOf(':') < 0) return clientIp;
        byte[] address = IpRange.address(clientIp);
        if (address == null) return clientIp;
        if (address.length == 4 || ipv6Prefix == 128) return text(address, clientIp);
        for (int i = 0; i < address.length; i++) {
            int keep = Math.max(0, Math.min(8, ipv6Prefix - i * 8));
            address[i] &= (byte) (0xFF00 >> keep);
        }
        return text(address, clientIp) + "/" + ipv6Prefix;
    }

    private boolean isTrusted(byte[] address) {
        for (IpRange r : trusted) {
            if (r.contains(address)) return true;
        }
        return false;
    }

    /** One canonical form per address, so that {@code ::ffff:10.0.0.1} and {@code 10.0.0.1} count together. */
    private static String text(byte[] address, String fallback) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return fallback;
        }
    }
}
