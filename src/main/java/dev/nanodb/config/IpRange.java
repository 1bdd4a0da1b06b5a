package dev.nanodb.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}), as {@code TRUSTED_PROXIES}
 * lists them.
 *
 * <p>Only literals are accepted: a host name would need a DNS lookup, which must never happen while a request is
 * answered (nor at start-up, where a slow resolver would delay the first answer). IPv4-mapped IPv6 addresses are
 * read as IPv4, so {@code ::ffff:10.0.0.1} and {@code 10.0.0.1} are the same client.
 */
public final class IpRange {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private final byte[] network;
    private final int prefix;
    private final String text;

    private IpRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** @throws IllegalArgumentException when {@code s} is not an IP literal or a CIDR block */
    public static IpRange parse(String s) {
        String t = s.strip();
        int slash = t.indexOf('/');
        byte[] address = address(slash < 0 ? t : t.substring(0, slash));
        if (address == null) throw new IllegalArgumentException("not an IP address or CIDR block: '" + s + "'");
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("bad CIDR prefix length in '" + s + "'");
        }
        return new IpRange(mask(address, prefix), prefix, t);
    }

    /**
     * The bytes of an IP literal (4 for IPv4, also when IPv4-mapped; 16 for IPv6), or null when it is not one.
     * Never a name lookup: the text reaches {@link InetAddress} only in a form it parses as a literal or refuses,
     * since an {@code X-Forwarded-For} entry such as {@code x:y} would otherwise go to the system resolver.
     */
    public static byte[] address(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) return null;
        boolean v4 = IPV4.matcher(s).matches();
        String t = !v4 && s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (!v4 && (t.indexOf(':') < 0 || !(t.charAt(0) == ':' || Character.digit(t.charAt(0), 16) >= 0))) return null;
        try {
            // InetAddress parses a dotted quad, or a text with ':' that starts with a hex digit or ':', as a literal
            // (an invalid one is an UnknownHostException) and never resolves it.
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** True when {@code address} (as from {@link #address}) lies in this range; addresses of the other family never do. */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) return false;
        return Arrays.equals(mask(address, prefix), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF00 >> keep);
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
