package dev.ferry.server.net;

import dev.ferry.server.address.IpLiteral;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The PROXY protocol header a load balancer sends first on a connection to say whom it forwards
 * (haproxy's doc/proxy-protocol.txt, versions 1 and 2). {@link #read} takes exactly the header's
 * bytes from the stream, never more, so what follows (FTP commands, a TLS handshake, file data)
 * is left for its reader.
 */
public sealed interface ProxyHeader {

    /** A forwarded TCP connection: the client's address and the balancer address it connected to. */
    record Proxied(InetSocketAddress source, InetSocketAddress destination) implements ProxyHeader {
    }

    /**
     * No client address: v2's LOCAL command (the balancer's own health checks), v1's UNKNOWN, or an
     * address family other than TCP over IPv4/IPv6. The spec (sections 2.1 and 2.2) has the receiver
     * keep the connection's own endpoints then.
     */
    record Local() implements ProxyHeader {
    }

    /** Not a valid header; the message says what was wrong. */
    final class Malformed extends IOException {
        public Malformed(String message) {
            super(message);
        }
    }

    /**
     * Reads one header of either version (told apart by the first 12 bytes: section 2.2 chose the v2
     * signature so that it can never start a v1 line). The shortest v1 line, "PROXY UNKNOWN\r\n", is
     * 15 bytes, so reading 12 at first never reads past a header.
     */
    static ProxyHeader read(InputStream in) throws IOException {
        byte[] start = exactly(in, V2.SIGNATURE.length);
        if (Arrays.equals(start, V2.SIGNATURE)) {
            return V2.read(in);
        }
        if (new String(start, 0, 6, StandardCharsets.US_ASCII).equals("PROXY ")) {
            return V1.read(start, in);
        }
        throw new Malformed("no PROXY protocol header (neither \"PROXY \" nor the v2 signature)");
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new Malformed("the connection ended inside the PROXY protocol header");
        }
        return bytes;
    }

    /** Section 2.1: the human-readable line {@code PROXY TCP4 <src> <dst> <sport> <dport>\r\n}. */
    final class V1 {
        /** A v1 line is at most 107 bytes with its CRLF: "PROXY UNKNOWN", two full IPv6 addresses and ports. */
        static final int MAX = 107;
        private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
        /** A port "represented as a decimal integer in the range [0..65535]"; leading zeros refused. */
        private static final Pattern PORT = Pattern.compile("0|[1-9]\\d{0,4}");

        private V1() {
        }

        static ProxyHeader read(byte[] start, InputStream in) throws IOException {
            for (byte b : start) {
                if (b == '\n') { // the shortest valid line is 15 bytes; reading on would take the client's
                    throw new Malformed("PROXY protocol v1 line too short");
                }
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream(MAX);
            line.writeBytes(start);
            // byte by byte up to the LF: the line has no length prefix, and a byte more would be the client's
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new Malformed("the connection ended inside the PROXY protocol header");
                }
                line.write(b);
                if (b == '\n') {
                    break;
                }
                if (line.size() >= MAX) {
                    throw new Malformed("PROXY protocol v1 line longer than " + MAX + " bytes");
                }
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            if (!text.endsWith("\r\n")) {
                throw new Malformed("PROXY protocol v1 line does not end with CRLF");
            }
            String[] words = text.substring(0, text.length() - 2).split(" ", -1);
            // "UNKNOWN": the receiver must ignore anything presented before the CRLF
            if (words[1].equals("UNKNOWN")) {
                return new Local();
            }
            boolean v4 = words[1].equals("TCP4");
            if (!v4 && !words[1].equals("TCP6")) {
                throw new Malformed("PROXY protocol v1: unknown protocol '" + printable(words[1]) + "'");
            }
            if (words.length != 6) {
                throw new Malformed("PROXY protocol v1: expected PROXY " + words[1] + " <source> <destination> "
                        + "<source port> <destination port>");
            }
            return new Proxied(new InetSocketAddress(address(words[2], v4), port(words[4])),
                    new InetSocketAddress(address(words[3], v4), port(words[5])));
        }

        private static InetAddress address(String text, boolean v4) throws Malformed {
            if (!(v4 ? IPV4 : IPV6).matcher(text).matches()) {
                throw new Malformed("PROXY protocol v1: '" + printable(text) + "' is not a numeric "
                        + (v4 ? "IPv4" : "IPv6") + " address");
            }
            try {
                return IpLiteral.parse(text); // ".:" passes the pattern: never InetAddress.getByName
            } catch (UnknownHostException e) {
                throw new Malformed("PROXY protocol v1: '" + printable(text) + "' is not an address");
            }
        }

        private static int port(String text) throws Malformed {
            if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
                throw new Malformed("PROXY protocol v1: '" + printable(text) + "' is not a port (0 to 65535)");
            }
            return Integer.parseInt(text);
        }

        /** A header from a confused peer goes to the log: no control characters in it. */
        private static String printable(String text) {
            String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            return cut.replaceAll("[^\\x20-\\x7e]", "?");
        }
    }

    /** Section 2.2: the binary header: signature, version and command, family and protocol, length. */
    final class V2 {
        /** The 12 bytes every v2 header starts with (package-private: an array is not a constant). */
        static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        private static final int LOCAL = 0x0;
        private static final int PROXY = 0x1;
        private static final int AF_UNSPEC = 0x0;
        private static final int AF_INET = 0x1;
        private static final int AF_INET6 = 0x2;
        private static final int AF_UNIX = 0x3;
        private static final int STREAM = 0x1;

        private V2() {
        }

        static ProxyHeader read(InputStream in) throws IOException {
            byte[] fixed = exactly(in, 4);
            int version = (fixed[0] & 0xf0) >> 4;
            int command = fixed[0] & 0x0f;
            int family = (fixed[1] & 0xf0) >> 4;
            int protocol = fixed[1] & 0x0f;
            int length = ((fixed[2] & 0xff) << 8) | (fixed[3] & 0xff);
            if (version != 2) {
                throw new Malformed("PROXY protocol v2: version " + version + " in the version byte, expected 2");
            }
            if (command != LOCAL && command != PROXY) {
                throw new Malformed("PROXY protocol v2: unknown command " + command);
            }
            if (family > AF_UNIX || protocol > 0x2) {
                throw new Malformed("PROXY protocol v2: unknown address family or protocol 0x"
                        + Integer.toHexString(fixed[1] & 0xff));
            }
            // the addresses and any TLVs (section 2.2.7): read whole, so the stream is left after them
            byte[] rest = exactly(in, length);
            if (command == LOCAL || protocol != STREAM || family == AF_UNSPEC || family == AF_UNIX) {
                return new Local();
            }
            int size = family == AF_INET ? 4 : 16;
            if (length < 2 * size + 4) {
                throw new Malformed("PROXY protocol v2: " + length + " bytes cannot hold two "
                        + (family == AF_INET ? "IPv4" : "IPv6") + " addresses and ports");
            }
            InetAddress source = address(Arrays.copyOfRange(rest, 0, size));
            InetAddress destination = address(Arrays.copyOfRange(rest, size, 2 * size));
            int sourcePort = ((rest[2 * size] & 0xff) << 8) | (rest[2 * size + 1] & 0xff);
            int destinationPort = ((rest[2 * size + 2] & 0xff) << 8) | (rest[2 * size + 3] & 0xff);
            return new Proxied(new InetSocketAddress(source, sourcePort),
                    new InetSocketAddress(destination, destinationPort));
        }

        private static InetAddress address(byte[] bytes) {
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
    }
}
