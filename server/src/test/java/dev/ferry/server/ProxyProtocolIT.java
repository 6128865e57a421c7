package dev.ferry.server;

import static dev.ferry.server.LogFiles.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.net.ProxyHeaderBytes;
import dev.ferry.server.session.Connection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.net.SocketFactory;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * proxy_protocol, pasv_proxy_protocol and proxy_protocol_trusted with raw sockets that send what a
 * load balancer sends: the address a header names is the client's for STAT, the activity log,
 * max_per_ip, PORT bounce protection and the passive data connection check.
 */
@Timeout(60)
class ProxyProtocolIT {

    @TempDir
    Path tempDir;

    private static TestServer.Builder behindBalancer() {
        return TestServer.builder().set("proxy_protocol", "YES").set("proxy_protocol_trusted", "127.0.0.1");
    }

    private static InetSocketAddress at(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    /** A v2 header naming {@code client} as the source of a connection to the server's port. */
    private static byte[] v2(TestServer server, String client) throws IOException {
        return ProxyHeaderBytes.v2(at(client, 40_000), at("127.0.0.1", server.port()), new byte[0]);
    }

    /**
     * A control connection from {@code from} that first sends {@code pieces} one TCP segment each (no
     * Nagle, a pause between), as a balancer's header may arrive split.
     */
    private static RawClient via(TestServer server, String from, byte[]... pieces) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        socket.setTcpNoDelay(true);
        sendPieces(socket, pieces);
        return new RawClient(socket);
    }

    private static void sendPieces(Socket socket, byte[]... pieces) throws Exception {
        OutputStream out = socket.getOutputStream();
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) {
                Thread.sleep(50);
            }
            out.write(pieces[i]);
            out.flush();
        }
    }

    /** Logs in anonymously and returns the address STAT says the session is connected to. */
    private static String connectedTo(RawClient client) throws IOException {
        assertEquals(220, client.reply().code());
        client.command("USER anonymous");
        assertEquals(230, client.command("PASS test@example.com").code());
        RawClient.Reply stat = client.command("STAT");
        assertEquals(211, stat.code(), stat.toString());
        return stat.lines().stream().filter(line -> line.startsWith(" Connected to ")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'Connected to' line: " + stat)).substring(" Connected to ".length());
    }

    @Test
    void v1HeaderNamesTheClientForStatAndTheLogs() throws Exception {
        Path log = tempDir.resolve("vsftpd.log");
        try (TestServer server = behindBalancer().set("xferlog_enable", "YES").set("log_ftp_protocol", "YES")
                .set("vsftpd_log_file", log.toString()).start()) {
            try (CapturedLog connections = new CapturedLog(Connection.class.getName());
                 RawClient client = via(server, "127.0.0.1", ProxyHeaderBytes.v1(at("203.0.113.7", 40_000),
                         at("127.0.0.1", server.port())))) {
                assertEquals("203.0.113.7", connectedTo(client));
                String expected = "connect from /203.0.113.7:40000 via /127.0.0.1:" + client.localPort();
                connections.await(expected::equals);
            }
            List<String> lines = await(log, line -> line.contains("FTP command: Client \"203.0.113.7\", \"STAT\""));
            assertTrue(lines.getFirst().endsWith("CONNECT: Client \"203.0.113.7\""), lines.getFirst());
            assertTrue(lines.stream().noneMatch(line -> line.contains("127.0.0.1")), "the balancer's address was logged: "
                    + lines);
        }
    }

    @Test
    void v2Ipv6HeaderWithTlvsSplitAcrossSegments() throws Exception {
        try (TestServer server = behindBalancer().start()) {
            byte[] header = ProxyHeaderBytes.v2(at("2001:db8::7", 40_000), at("2001:db8::1", 21),
                    ProxyHeaderBytes.tlv(0x02, "ftp.example.com".getBytes(StandardCharsets.US_ASCII)));
            // three segments: cut inside the signature, inside the addresses, then the rest with the
            // client's first command right behind it
            byte[] command = "NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] tail = Arrays.copyOf(Arrays.copyOfRange(header, 20, header.length), header.length - 20 + command.length);
            System.arraycopy(command, 0, tail, header.length - 20, command.length);
            try (RawClient client = via(server, "127.0.0.1", Arrays.copyOf(header, 5), Arrays.copyOfRange(header, 5, 20),
                    tail)) {
                assertEquals(220, client.reply().code());
                assertEquals(200, client.reply().code(), "the NOOP after the header is the first command");
                client.command("USER anonymous");
                assertEquals(230, client.command("PASS test@example.com").code());
                assertTrue(client.command("STAT").lines().contains(" Connected to 2001:db8:0:0:0:0:0:7"));
            }
        }
    }

    @Test
    void localAndUnknownHeadersKeepTheBalancersAddress() throws Exception {
        try (TestServer server = behindBalancer().start()) {
            try (CapturedLog connections = new CapturedLog(Connection.class.getName());
                 RawClient client = via(server, "127.0.0.1", ProxyHeaderBytes.v2Local())) {
                assertEquals("127.0.0.1", connectedTo(client));
                connections.await(("connect from /127.0.0.1:" + client.localPort() + " (the balancer itself)")::equals);
            }
            try (RawClient client = via(server, "127.0.0.1", "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII))) {
                assertEquals("127.0.0.1", connectedTo(client));
            }
        }
    }

    @Test
    void withoutAHeaderOrWithAMalformedOneTheConnectionClosesWithoutAReply() throws Exception {
        try (TestServer server = behindBalancer().start()) {
            try (RawClient client = via(server, "127.0.0.1", "USER anonymous\r\n".getBytes(StandardCharsets.US_ASCII))) {
                assertTrue(client.closedByServer(10_000), "an FTP command instead of a header");
            }
            try (RawClient client = via(server, "127.0.0.1",
                    "PROXY TCP4 203.0.113.7 127.0.0.1 99999 21\r\n".getBytes(StandardCharsets.US_ASCII))) {
                assertTrue(client.closedByServer(10_000), "a bad port");
            }
            try (RawClient client = via(server, "127.0.0.1", ProxyHeaderBytes.v2(0x22, 0x11, new byte[12]))) {
                assertTrue(client.closedByServer(10_000), "an unknown v2 command");
            }
            // a good client still gets in
            try (RawClient client = via(server, "127.0.0.1", v2(server, "203.0.113.8"))) {
                assertEquals("203.0.113.8", connectedTo(client));
            }
        }
    }

    @Test
    void anIncompleteHeaderIsDroppedAfterTheHeaderTimeout() throws Exception {
        try (TestServer server = behindBalancer().start();
             RawClient client = via(server, "127.0.0.1", Arrays.copyOf(v2(server, "203.0.113.7"), 20))) {
            long start = System.nanoTime();
            assertTrue(client.closedByServer(20_000), "half a header, then silence");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds >= 8 && seconds <= 15, "closed after " + seconds + " s");
        }
    }

    @Test
    void aPeerOutsideTheTrustedNetworksIsClosedWithoutAReply() throws Exception {
        try (TestServer server = behindBalancer().set("proxy_protocol_trusted", "127.0.0.2, 10.0.0.0/8").start()) {
            try (CapturedLog connections = new CapturedLog(Connection.class.getName());
                 RawClient client = via(server, "127.0.0.1", v2(server, "203.0.113.7"))) {
                assertTrue(client.closedByServer(10_000), "127.0.0.1 is not trusted");
                connections.await(("connect from /127.0.0.1:" + client.localPort()
                        + " refused: PROXY protocol: 127.0.0.1 is not in proxy_protocol_trusted")::equals);
            }
            try (RawClient client = via(server, "127.0.0.2", v2(server, "203.0.113.7"))) {
                assertEquals("203.0.113.7", connectedTo(client));
            }
        }
    }

    @Test
    void maxPerIpCountsTheAddressTheHeaderNames() throws Exception {
        try (TestServer server = behindBalancer().set("max_per_ip", "1").start();
             RawClient first = via(server, "127.0.0.1", v2(server, "198.51.100.1"))) {
            assertEquals(220, first.reply().code());
            try (RawClient second = via(server, "127.0.0.1", v2(server, "198.51.100.1"))) {
                RawClient.Reply refused = second.reply();
                assertEquals("421 There are too many connections from your internet address.", refused.last());
            }
            // all three come from 127.0.0.1, but only the header's address counts
            try (RawClient other = via(server, "127.0.0.1", v2(server, "198.51.100.2"))) {
                assertEquals("198.51.100.2", connectedTo(other));
            }
        }
    }

    @Test
    void portBounceProtectionComparesTheAddressTheHeaderNames() throws Exception {
        try (TestServer server = behindBalancer().start();
             RawClient client = via(server, "127.0.0.1", v2(server, "127.0.0.5"));
             ServerSocket listener = new ServerSocket()) {
            assertEquals("127.0.0.5", connectedTo(client));
            listener.bind(new InetSocketAddress("127.0.0.5", 0));
            listener.setSoTimeout(10_000);
            int port = listener.getLocalPort();
            String hostPort = "," + (port >> 8) + "," + (port & 0xff);
            // the connection really comes from 127.0.0.1, but the client is 127.0.0.5
            assertEquals("500 Illegal PORT command.", client.command("PORT 127,0,0,1" + hostPort).last());
            assertEquals(200, client.command("PORT 127,0,0,5" + hostPort).code());
            client.send("LIST\r\n");
            try (Socket data = listener.accept()) {
                assertEquals(150, client.reply().code());
                data.getInputStream().readAllBytes();
            }
            assertEquals(226, client.reply().code());
        }
    }

    @Test
    void passiveDataConnectionsCarryAHeaderWithPasvProxyProtocol() throws Exception {
        try (TestServer server = behindBalancer().set("pasv_proxy_protocol", "YES").start();
             RawClient client = via(server, "127.0.0.1", v2(server, "203.0.113.7"))) {
            assertEquals("203.0.113.7", connectedTo(client));
            // the balancer forwards the data connection with the same client address: accepted
            assertEquals(226, list(client, ProxyHeaderBytes.v2(at("203.0.113.7", 40_001), at("127.0.0.1", 0),
                    new byte[0])).code());
            // a data connection for somebody else (bounce, data theft): vsftpd's refusal
            assertEquals("425 Security: Bad IP connecting.", list(client, ProxyHeaderBytes.v2(at("203.0.113.66", 40_002),
                    at("127.0.0.1", 0), new byte[0])).last());
            // a data connection without a header
            assertEquals("425 Failed to establish connection.",
                    list(client, "file data, not a PROXY header\r\n".getBytes(StandardCharsets.US_ASCII)).last());
        }
    }

    @Test
    void withoutPasvProxyProtocolADataConnectionFromTheBalancerIsRefusedUnlessPromiscuous() throws Exception {
        try (TestServer server = behindBalancer().start();
             RawClient client = via(server, "127.0.0.1", v2(server, "203.0.113.7"))) {
            assertEquals("203.0.113.7", connectedTo(client));
            assertEquals("425 Security: Bad IP connecting.", list(client, new byte[0]).last());
        }
        try (TestServer server = behindBalancer().set("pasv_promiscuous", "YES").start();
             RawClient client = via(server, "127.0.0.1", v2(server, "203.0.113.7"))) {
            assertEquals("203.0.113.7", connectedTo(client));
            assertEquals(226, list(client, new byte[0]).code());
        }
    }

    @Test
    void implicitFtpsReadsTheHeaderBeforeTheTlsHandshake() throws Exception {
        try (TestServer server = TlsFixtures.server(tempDir).set("implicit_ssl", "YES").set("require_ssl_reuse", "NO")
                .set("proxy_protocol", "YES").set("proxy_protocol_trusted", "127.0.0.0/8").start()) {
            FTPSClient client = TlsFixtures.commonsNet(true, "TLSv1.3");
            // the balancer's header goes out on the TCP connection before the client's ClientHello
            client.setSocketFactory(new HeaderFirst(v2(server, "203.0.113.7")));
            client.connect("127.0.0.1", server.port());
            try {
                assertTrue(client.login("alice", TlsFixtures.PASSWORD), client.getReplyString());
                assertTrue(client.getStatus().contains("Connected to 203.0.113.7"), client.getReplyString());
            } finally {
                client.disconnect();
            }
        }
    }

    /**
     * PASV, a data connection that sends {@code first} before anything else, LIST: the final reply
     * (425 when the connection was refused).
     */
    private static RawClient.Reply list(RawClient client, byte[] first) throws Exception {
        RawClient.Reply pasv = client.command("PASV");
        assertEquals(227, pasv.code(), pasv.toString());
        try (Socket data = new Socket()) {
            data.connect(new InetSocketAddress("127.0.0.1", Clients.pasvPort(pasv.last())), 10_000);
            data.setSoTimeout(10_000);
            sendPieces(data, first);
            client.send("LIST\r\n");
            RawClient.Reply reply = client.reply();
            if (reply.code() != 150) {
                return reply;
            }
            data.getInputStream().readAllBytes();
            return client.reply();
        }
    }

    /** Sockets that send a balancer's PROXY header as soon as they are connected, before anything else. */
    private static final class HeaderFirst extends SocketFactory {
        private final byte[] header;

        HeaderFirst(byte[] header) {
            this.header = header.clone();
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    super.connect(endpoint, timeout);
                    getOutputStream().write(header);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(InetAddress.getByName(host), port, null, 0);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return createSocket(InetAddress.getByName(host), port, local, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return createSocket(host, port, null, 0);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            Socket socket = createSocket();
            socket.bind(new InetSocketAddress(local, localPort));
            socket.connect(new InetSocketAddress(host, port), 10_000);
            return socket;
        }
    }
}
