package dev.ferry.server.command;

import dev.ferry.server.address.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The arguments of PORT, EPRT and EPSV, read apart from the session so that they can be fuzzed:
 * client text in, an address or the reply that refuses it out. No name is ever looked up.
 */
final class DataArguments {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** What an argument asked for. */
    sealed interface Parsed {
        /** The client's data address (bounce protection is the caller's). */
        record Target(InetSocketAddress address) implements Parsed {
        }

        /** Refused with this reply. */
        record Refused(int code, String text) implements Parsed {
        }
    }

    /** What EPSV asked for (RFC 2428 section 3). */
    sealed interface Epsv {
        /** {@code EPSV ALL}: from now on only EPSV sets up data connections (section 4). */
        record All() implements Epsv {
        }

        /** {@code EPSV} or {@code EPSV <net-prt>}: a listener; {@code protocol} is empty for any. */
        record Listen(String protocol) implements Epsv {
        }
    }

    private DataArguments() {
    }

    /** RFC 959 section 4.1.2: {@code h1,h2,h3,h4,p1,p2}, each 0-255. */
    static Parsed port(String argument) {
        String[] parts = argument.trim().split(",");
        if (parts.length != 6) {
            return new Parsed.Refused(501, "Illegal PORT command.");
        }
        int[] numbers = new int[6];
        for (int i = 0; i < 6; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                numbers[i] = -1;
            }
            if (numbers[i] < 0 || numbers[i] > 255) {
                return new Parsed.Refused(501, "Illegal PORT command.");
            }
        }
        InetAddress address;
        try {
            address = InetAddress.getByAddress(new byte[] {
                    (byte) numbers[0], (byte) numbers[1], (byte) numbers[2], (byte) numbers[3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
        return new Parsed.Target(new InetSocketAddress(address, numbers[4] * 256 + numbers[5]));
    }

    /** RFC 2428 section 2: {@code <d>proto<d>address<d>port<d>}, the delimiter is the first character. */
    static Parsed eprt(String argument) {
        String text = argument.trim();
        Parsed.Refused illegal = new Parsed.Refused(501, "Illegal EPRT command.");
        if (text.length() < 7) {
            return illegal;
        }
        String delimiter = text.substring(0, 1);
        String[] parts = text.substring(1).split(Pattern.quote(delimiter), -1);
        if (parts.length != 4 || !parts[3].isEmpty()) {
            return illegal;
        }
        boolean ipv4 = parts[0].equals("1");
        if (!ipv4 && !parts[0].equals("2")) {
            return new Parsed.Refused(522, "Network protocol not supported, use (1,2)");
        }
        if (!(ipv4 ? IPV4 : IPV6).matcher(parts[1]).matches() || (!ipv4 && !parts[1].contains(":"))) {
            return illegal;
        }
        int port;
        InetAddress address;
        try {
            port = Integer.parseInt(parts[2]);
            address = IpLiteral.parse(parts[1]);
        } catch (NumberFormatException | UnknownHostException e) {
            return illegal;
        }
        if (port < 1 || port > 65535 || (ipv4 != address instanceof Inet4Address)) {
            return illegal;
        }
        return new Parsed.Target(new InetSocketAddress(address, port));
    }

    static Epsv epsv(String argument) {
        String text = argument.trim();
        return text.equalsIgnoreCase("ALL") ? new Epsv.All() : new Epsv.Listen(text);
    }
}
