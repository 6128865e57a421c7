package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FTP bounce protection (RFC 2577 section 3, vsftpd's port_promiscuous and pasv_promiscuous): data
 * connections go to and come from the control connection's peer only. The tests use 127.0.0.2 as
 * "another host": Linux routes all of 127/8 to the loopback interface.
 */
@Timeout(60)
class BounceProtectionIT {

    private static final byte[] CONTENT = Clients.random(50_000, 2);
    private static final InetAddress OTHER = address("127.0.0.2");

    @BeforeAll
    static void otherLoopbackAddressWorks() {
        try (ServerSocket probe = new ServerSocket(0, 1, OTHER)) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (IOException e) {
            Assumptions.abort("127.0.0.2 is not usable here: " + e);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TestServer serve(TestServer.Builder builder) throws Exception {
        TestServer server = builder.start();
        server.put("/file.bin", CONTENT);
        return server;
    }

    @Test
    void portToAnotherAddressIsRefused() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(500, client.sendCommand("PORT 127,0,0,2,200,10"));
            assertEquals("500 Illegal PORT command.", client.getReplyString().trim());
            // the refused PORT sets nothing up
            assertEquals(425, client.sendCommand("RETR file.bin"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void portToAPrivilegedPortIsRefused() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(500, client.sendCommand("PORT 127,0,0,1,0,25"));
            assertEquals("500 Illegal PORT command.", client.getReplyString().trim());
            assertEquals(500, client.sendCommand("PORT 127,0,0,1,3,255"), client.getReplyString()); // 1023
            client.disconnect();
        }
    }

    @Test
    void eprtIsCheckedLikePort() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(500, client.sendCommand("EPRT |1|127.0.0.2|51000|"));
            assertEquals("500 Illegal EPRT command.", client.getReplyString().trim());
            assertEquals(500, client.sendCommand("EPRT |1|127.0.0.1|21|"));
            assertEquals("500 Illegal EPRT command.", client.getReplyString().trim());
            client.disconnect();
        }
    }

    @Test
    void portPromiscuousAllowsAnotherAddress() throws Exception {
        try (TestServer server = serve(TestServer.builder().set("port_promiscuous", "YES"));
             ServerSocket listener = new ServerSocket(0, 1, OTHER)) {
            listener.setSoTimeout(10_000);
            FTPClient client = server.anonymous();
            int port = listener.getLocalPort();
            assertEquals(200, client.sendCommand("PORT 127,0,0,2," + (port >> 8) + "," + (port & 0xff)),
                    client.getReplyString());
            assertEquals(150, client.sendCommand("RETR file.bin"), client.getReplyString());
            try (Socket data = listener.accept(); InputStream in = data.getInputStream()) {
                assertArrayEquals(CONTENT, in.readAllBytes());
            }
            assertEquals(226, client.getReply(), client.getReplyString());
            assertEquals(200, client.sendCommand("EPRT |1|127.0.0.2|" + port + "|"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void passiveConnectionFromAnotherAddressIsRefused() throws Exception {
        try (TestServer server = serve(TestServer.builder()); Clients.Raw raw = new Clients.Raw(server)) {
            anonymous(raw);
            int port = Clients.pasvPort(raw.command("PASV", 227));
            raw.send("RETR file.bin");
            try (Socket data = fromOther(port)) {
                raw.expect(425);
                // nothing of the file reaches the intruder
                assertEquals(-1, readOrEnd(data));
            }
            raw.command("NOOP", 200);
            raw.command("PASV", 227);
        }
    }

    @Test
    void pasvPromiscuousAllowsAnotherAddress() throws Exception {
        try (TestServer server = serve(TestServer.builder().set("pasv_promiscuous", "YES"));
             Clients.Raw raw = new Clients.Raw(server)) {
            anonymous(raw);
            int port = Clients.pasvPort(raw.command("PASV", 227));
            raw.send("RETR file.bin");
            try (Socket data = fromOther(port)) {
                raw.expect(150);
                assertArrayEquals(CONTENT, data.getInputStream().readAllBytes());
            }
            raw.expect(226);
        }
    }

    private static void anonymous(Clients.Raw raw) throws IOException {
        raw.command("USER anonymous", 331);
        raw.command("PASS x@example.com", 230);
        raw.command("TYPE I", 200);
    }

    private static Socket fromOther(int port) throws IOException {
        Socket data = new Socket();
        data.bind(new InetSocketAddress(OTHER, 0));
        data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        data.setSoTimeout(10_000);
        assertTrue(data.isConnected());
        return data;
    }

    /** The first byte, or -1 at end of stream or when the server reset the connection. */
    private static int readOrEnd(Socket data) throws IOException {
        try {
            return data.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
