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
 */
public final class ClientIps {
    private final List<IpRange> trusted;

    public ClientIps(List<IpRange> trusted) {
        this.trusted = List.copyOf(trusted);
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
