package dev.ferry.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PROXY protocol parser: both versions, and never a byte past the header. */
class ProxyHeaderTest {

    private static final byte[] NEXT = "USER anonymous\r\n".getBytes(StandardCharsets.US_ASCII);

    private static InetSocketAddress at(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    /** Parses {@code header} followed by an FTP command and checks that the command is left whole. */
    private static ProxyHeader parse(byte[] header) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(header);
        stream.writeBytes(NEXT);
        ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());
        ProxyHeader parsed = ProxyHeader.read(in);
        assertEquals(new String(NEXT, StandardCharsets.US_ASCII), new String(in.readAllBytes(), StandardCharsets.US_ASCII),
                "the bytes after the header");
        return parsed;
    }

    private static String malformed(byte[] bytes) {
        return assertThrows(ProxyHeader.Malformed.class, () -> ProxyHeader.read(new ByteArrayInputStream(bytes)))
                .getMessage();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void v1Tcp4() throws IOException {
        assertEquals(new ProxyHeader.Proxied(at("192.0.2.10", 51234), at("198.51.100.1", 21)),
                parse(ascii("PROXY TCP4 192.0.2.10 198.51.100.1 51234 21\r\n")));
    }

    @Test
    void v1Tcp6AndTheLongestLine() throws IOException {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        assertEquals(new ProxyHeader.Proxied(at(full, 65535), at("::1", 0)),
                parse(ascii("PROXY TCP6 " + full + " ::1 65535 0\r\n")));
        byte[] worst = ascii("PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n");
        assertEquals(ProxyHeader.V1.MAX, worst.length, "the spec's worst case");
        assertInstanceOf(ProxyHeader.Local.class, parse(worst));
    }

    @Test
    void v1UnknownKeepsTheConnectionsAddresses() throws IOException {
        assertInstanceOf(ProxyHeader.Local.class, parse(ascii("PROXY UNKNOWN\r\n")));
        assertInstanceOf(ProxyHeader.Local.class, parse(ascii("PROXY UNKNOWN ffff:: ffff:: 1 2\r\n")));
    }

    @Test
    void v2Ipv4AndIpv6() throws IOException {
        InetSocketAddress client = at("203.0.113.9", 40000);
        InetSocketAddress balancer = at("198.51.100.1", 2121);
        assertEquals(new ProxyHeader.Proxied(client, balancer), parse(ProxyHeaderBytes.v2(client, balancer, new byte[0])));
        InetSocketAddress client6 = at("2001:db8::9", 40001);
        InetSocketAddress balancer6 = at("2001:db8::1", 21);
        assertEquals(new ProxyHeader.Proxied(client6, balancer6),
                parse(ProxyHeaderBytes.v2(client6, balancer6, new byte[0])));
    }

    @Test
    void v2TlvsAreSkipped() throws IOException {
        InetSocketAddress client = at("203.0.113.9", 40000);
        InetSocketAddress balancer = at("198.51.100.1", 2121);
        // PP2_TYPE_AUTHORITY (0x02) and PP2_TYPE_UNIQUE_ID (0x05), as HAProxy may add them
        byte[] tlvs = concat(ProxyHeaderBytes.tlv(0x02, ascii("ftp.example.com")),
                ProxyHeaderBytes.tlv(0x05, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertEquals(new ProxyHeader.Proxied(client, balancer), parse(ProxyHeaderBytes.v2(client, balancer, tlvs)));
    }

    @Test
    void v2LocalUnspecAndUnixKeepTheConnectionsAddresses() throws IOException {
        assertInstanceOf(ProxyHeader.Local.class, parse(ProxyHeaderBytes.v2Local()));
        // LOCAL may still carry addresses; they are ignored
        assertInstanceOf(ProxyHeader.Local.class, parse(ProxyHeaderBytes.v2(0x20, 0x11, new byte[12])));
        assertInstanceOf(ProxyHeader.Local.class, parse(ProxyHeaderBytes.v2(0x21, 0x00, new byte[0])));
        assertInstanceOf(ProxyHeader.Local.class, parse(ProxyHeaderBytes.v2(0x21, 0x31, new byte[216])));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "USER anonymous\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",
        "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",
        "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n",
        "PROXY TCP4 ::1 5.6.7.8 1 2\r\n",
        "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
        "PROXY TCP4 example.com 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 021 2\r\n",
        "PROXY TCP4\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2",
    })
    void malformedV1(String line) {
        malformed(ascii(line));
    }

    @Test
    void v1LongerThanTheSpecAllowsIsRefusedWithoutReadingOn() {
        byte[] line = ascii("PROXY UNKNOWN " + "x".repeat(200) + "\r\n");
        assertTrue(malformed(line).contains("longer than 107"));
    }

    @Test
    void malformedV2() throws IOException {
        InetSocketAddress client = at("203.0.113.9", 40000);
        assertTrue(malformed(ProxyHeaderBytes.v2(0x11, 0x11, new byte[12])).contains("version"));
        assertTrue(malformed(ProxyHeaderBytes.v2(0x22, 0x11, new byte[12])).contains("command"));
        assertTrue(malformed(ProxyHeaderBytes.v2(0x21, 0x41, new byte[12])).contains("family"));
        assertTrue(malformed(ProxyHeaderBytes.v2(0x21, 0x11, new byte[8])).contains("cannot hold"));
        assertTrue(malformed(ProxyHeaderBytes.v2(0x21, 0x21, new byte[12])).contains("cannot hold"));
        byte[] whole = ProxyHeaderBytes.v2(client, client, new byte[0]);
        assertTrue(malformed(Arrays.copyOf(whole, whole.length - 1)).contains("ended inside"));
        assertTrue(malformed(Arrays.copyOf(whole, 14)).contains("ended inside"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
