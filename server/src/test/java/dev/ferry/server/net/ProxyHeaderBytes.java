package dev.ferry.server.net;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** PROXY protocol headers as a balancer writes them (haproxy's doc/proxy-protocol.txt), for tests. */
public final class ProxyHeaderBytes {

    private ProxyHeaderBytes() {
    }

    /** A v1 line: {@code PROXY TCP4|TCP6 src dst sport dport\r\n}. */
    public static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        String family = source.getAddress().getAddress().length == 4 ? "TCP4" : "TCP6";
        return ("PROXY " + family + " " + source.getAddress().getHostAddress() + " "
                + destination.getAddress().getHostAddress() + " " + source.getPort() + " " + destination.getPort()
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY header over TCP with {@code tlvs} (already encoded) after the addresses. */
    public static byte[] v2(InetSocketAddress source, InetSocketAddress destination, byte[] tlvs) {
        byte[] from = source.getAddress().getAddress();
        byte[] to = destination.getAddress().getAddress();
        ByteArrayOutputStream addresses = new ByteArrayOutputStream();
        addresses.writeBytes(from);
        addresses.writeBytes(to);
        addresses.writeBytes(port(source.getPort()));
        addresses.writeBytes(port(destination.getPort()));
        addresses.writeBytes(tlvs);
        return v2(0x21, from.length == 4 ? 0x11 : 0x21, addresses.toByteArray());
    }

    /** v2's LOCAL command (a balancer's health check): no addresses. */
    public static byte[] v2Local() {
        return v2(0x20, 0x00, new byte[0]);
    }

    /** Any v2 header: version and command byte, family and protocol byte, and what follows the length. */
    public static byte[] v2(int versionCommand, int familyProtocol, byte[] rest) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(ProxyHeader.V2.SIGNATURE);
        header.write(versionCommand);
        header.write(familyProtocol);
        header.writeBytes(port(rest.length));
        header.writeBytes(rest);
        return header.toByteArray();
    }

    /** One TLV (section 2.2.7): type, two length bytes, value. */
    public static byte[] tlv(int type, byte[] value) {
        ByteArrayOutputStream tlv = new ByteArrayOutputStream();
        tlv.write(type);
        tlv.writeBytes(port(value.length));
        tlv.writeBytes(value);
        return tlv.toByteArray();
    }

    private static byte[] port(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }
}
