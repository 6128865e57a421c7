package dev.ferry.server.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A numeric IPv4 or IPv6 address from text, never by a name lookup. InetAddress.getByName only
 * treats text as a literal when it starts with a hex digit or ':'; anything else that slipped
 * past a caller's character check (".:", or "999.1.1.1", which is no IPv4 literal) went to the
 * system resolver, on a virtual thread, with text a client chose (EPRT, a PROXY v1 line) or an
 * operator wrote (proxy_protocol_trusted). DataArgumentsFuzzTest and ProxyHeaderFuzzTest fail on
 * any lookup.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * Four decimal numbers 0-255 joined by dots (leading zeros read as decimal, as the JDK reads
     * them), or an IPv6 literal; an IPv4-mapped IPv6 literal gives an Inet4Address.
     *
     * @throws UnknownHostException when the text is neither
     */
    public static InetAddress parse(String text) throws UnknownHostException {
        if (text.indexOf(':') >= 0) {
            // in brackets the JDK takes the text as an IPv6 literal or refuses it: no lookup
            return InetAddress.getByName("[" + text + "]");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new UnknownHostException("not a numeric address: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                throw new UnknownHostException("not a numeric address: " + text);
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return InetAddress.getByAddress(bytes);
    }
}
