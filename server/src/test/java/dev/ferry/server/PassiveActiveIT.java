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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Data connection set-up: PASV, EPSV (RFC 2428), PORT, EPRT, the passive port range. */
@Timeout(60)
class PassiveActiveIT {

    private static final byte[] CONTENT = Clients.random(100_000, 1);

    private static TestServer serve(TestServer.Builder builder) throws Exception {
        TestServer server = builder.start();
        server.put("/file.bin", CONTENT);
        return server;
    }

    @Test
    void pasvAndEpsvRepliesHaveTheirRfcFormats() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(227, client.sendCommand("PASV"));
            assertTrue(client.getReplyString().trim()
                    .matches("227 Entering Passive Mode \\(127,0,0,1,\\d{1,3},\\d{1,3}\\)\\."), client.getReplyString());
            assertEquals(229, client.sendCommand("EPSV"));
            assertTrue(client.getReplyString().trim()
                    .matches("229 Entering Extended Passive Mode \\(\\|\\|\\|\\d{1,5}\\|\\)"), client.getReplyString());
            assertEquals(229, client.sendCommand("EPSV 1"), client.getReplyString());

            // FTPClient uses PASV by default; with this switch it uses EPSV
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.setUseEPSVwithIPv4(true);
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.disconnect();
        }
    }

    @Test
    void epsvAllRefusesEveryOtherWayToSetUpData() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(200, client.sendCommand("EPSV ALL"), client.getReplyString());
            // RFC 2428 section 4: after EPSV ALL the server refuses PORT, PASV and EPRT
            assertEquals(503, client.sendCommand("PASV"), client.getReplyString());
            assertEquals(503, client.sendCommand("PORT 127,0,0,1,200,10"), client.getReplyString());
            assertEquals(503, client.sendCommand("EPRT |1|127.0.0.1|51210|"), client.getReplyString());
            client.setUseEPSVwithIPv4(true);
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.disconnect();
        }
    }

    @Test
    void epsvForIpv6OnAnIpv4ConnectionIs522() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(522, client.sendCommand("EPSV 2"), client.getReplyString());
            assertTrue(client.getReplyString().contains("(1)"), client.getReplyString());
            assertEquals(200, client.noop(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void activePortDownloadsAndLists() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            client.enterLocalActiveMode();
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            assertEquals(1, client.listFiles().length, client.getReplyString());
            assertEquals(226, client.getReplyCode());
            client.disconnect();
        }
    }

    @Test
    void eprtOverIpv4Downloads() throws Exception {
        try (TestServer server = serve(TestServer.builder());
             ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listener.setSoTimeout(10_000);
            FTPClient client = server.anonymous();
            assertEquals(200, client.sendCommand("EPRT |1|127.0.0.1|" + listener.getLocalPort() + "|"),
                    client.getReplyString());
            assertEquals(150, client.sendCommand("RETR file.bin"), client.getReplyString());
            try (Socket data = listener.accept(); InputStream in = data.getInputStream()) {
                assertArrayEquals(CONTENT, in.readAllBytes());
            }
            assertEquals(226, client.getReply(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void eprtAndEpsvOverIpv6() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "::1 is not available here");
        // listen on the dual-stack wildcard and reach it over ::1 (DataChannelIT covers listen_address6)
        try (TestServer server = serve(TestServer.builder().set("listen_address", "").set("listen_ipv6", "YES"))) {
            FTPClient client = new FTPClient();
            client.setDefaultTimeout(20_000);
            client.connect("::1", server.port());
            client.setSoTimeout(20_000);
            assertTrue(client.login("anonymous", "x@example.com"), client.getReplyString());
            assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE));
            // on an IPv6 connection FTPClient sends EPRT in active mode and EPSV in passive mode
            client.enterLocalActiveMode();
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.enterLocalPassiveMode();
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            assertEquals(522, client.sendCommand("EPSV 1"), client.getReplyString());
            assertEquals(500, client.sendCommand("EPRT |2|::2|50000|"), client.getReplyString());
            client.disconnect();

            // the dual-stack listener serves IPv4 clients with PASV and PORT as usual
            FTPClient v4 = server.anonymous();
            assertEquals(227, v4.sendCommand("PASV"), v4.getReplyString());
            assertEquals("127.0.0.1", Clients.pasvHost(v4.getReplyString()));
            assertArrayEquals(CONTENT, Clients.retrieve(v4, "file.bin"));
            v4.enterLocalActiveMode();
            assertArrayEquals(CONTENT, Clients.retrieve(v4, "file.bin"));
            v4.disconnect();
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"));
             Socket socket = new Socket()) {
            socket.connect(probe.getLocalSocketAddress(), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void pasvAddressIsAdvertised() throws Exception {
        try (TestServer server = serve(TestServer.builder().set("pasv_address", "10.1.2.3"))) {
            FTPClient client = server.anonymous();
            assertEquals(227, client.sendCommand("PASV"));
            assertEquals("10.1.2.3", Clients.pasvHost(client.getReplyString()), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void passivePortsStayInTheConfiguredRange() throws Exception {
        int min = Clients.freeRange(4);
        int max = min + 3;
        try (TestServer server = serve(TestServer.builder()
                .set("pasv_min_port", Integer.toString(min)).set("pasv_max_port", Integer.toString(max)))) {
            FTPClient client = server.anonymous();
            for (int i = 0; i < 8; i++) {
                assertEquals(227, client.sendCommand("PASV"), client.getReplyString());
                int port = Clients.pasvPort(client.getReplyString());
                assertTrue(port >= min && port <= max, port + " not in " + min + ".." + max);
                assertEquals(229, client.sendCommand("EPSV"), client.getReplyString());
                port = Clients.epsvPort(client.getReplyString());
                assertTrue(port >= min && port <= max, port + " not in " + min + ".." + max);
            }
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.disconnect();
        }
    }

    /** vsftpd: pasv_min_port alone means min..65535, pasv_max_port alone 1024..max. */
    @Test
    void oneSidedPassiveRanges() throws Exception {
        try (TestServer server = serve(TestServer.builder().set("pasv_min_port", "50000"))) {
            FTPClient client = server.anonymous();
            for (int i = 0; i < 4; i++) {
                assertEquals(227, client.sendCommand("PASV"), client.getReplyString());
                int port = Clients.pasvPort(client.getReplyString());
                assertTrue(port >= 50000, port + " below pasv_min_port");
            }
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.disconnect();
        }
        try (TestServer server = serve(TestServer.builder().set("pasv_max_port", "30000"))) {
            FTPClient client = server.anonymous();
            for (int i = 0; i < 4; i++) {
                assertEquals(227, client.sendCommand("PASV"), client.getReplyString());
                int port = Clients.pasvPort(client.getReplyString());
                assertTrue(port >= 1024 && port <= 30000, port + " not in 1024..30000");
            }
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.disconnect();
        }
    }

    @Test
    void exhaustedPassivePortsGive425AndTheServerGoesOn() throws Exception {
        int min = Clients.freeRange(2);
        try (TestServer server = serve(TestServer.builder()
                .set("pasv_min_port", Integer.toString(min)).set("pasv_max_port", Integer.toString(min + 1))
                // all three clients share 127.0.0.1: lift the per-address cap to reach the range's end
                .set("pasv_max_per_ip", "10"))) {
            FTPClient a = server.anonymous();
            FTPClient b = server.anonymous();
            FTPClient c = server.anonymous();
            assertEquals(227, a.sendCommand("PASV"), a.getReplyString());
            assertEquals(227, b.sendCommand("PASV"), b.getReplyString());
            assertEquals(425, c.sendCommand("PASV"), c.getReplyString());
            assertEquals(425, c.sendCommand("EPSV"), c.getReplyString());
            assertTrue(c.sendNoOp(), c.getReplyString());
            // a's new PASV gives its own port back first, and the transfer frees it again
            assertArrayEquals(CONTENT, Clients.retrieve(a, "file.bin"));
            assertEquals(227, c.sendCommand("PASV"), c.getReplyString());
            for (FTPClient client : List.of(a, b, c)) {
                client.disconnect();
            }
        }
    }

    @Test
    void transferWithoutPortOrPasvIs425() throws Exception {
        try (TestServer server = serve(TestServer.builder())) {
            FTPClient client = server.anonymous();
            assertEquals(425, client.sendCommand("RETR file.bin"));
            assertEquals("425 Use PORT or PASV first.", client.getReplyString().trim());
            assertEquals(425, client.sendCommand("LIST"));
            assertTrue(client.sendNoOp());
            assertArrayEquals(CONTENT, Clients.retrieve(client, "file.bin"));
            client.disconnect();
        }
    }

    /**
     * The wait for the client to open the data connection is not a stalled transfer: vsftpd
     * bounds it with accept_timeout, and data_connection_timeout starts once data can move.
     */
    @Test
    void slowDataConnectIsNotAStall(@TempDir Path tempDir) throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir).set("data_connection_timeout", "1"));
             Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            int port = Clients.pasvPort(raw.command("PASV", 227));
            raw.send("RETR file.bin");
            Thread.sleep(1_500);
            try (Socket data = connect(port)) {
                raw.expect(150);
                assertArrayEquals(CONTENT, data.getInputStream().readAllBytes());
            }
            raw.expect(226);

            // an upload whose first bytes come a little after the late connect
            port = Clients.pasvPort(raw.command("PASV", 227));
            raw.send("STOR late.bin");
            Thread.sleep(1_500);
            try (Socket data = connect(port)) {
                raw.expect(150);
                Thread.sleep(400);
                data.getOutputStream().write(CONTENT);
            }
            raw.expect(226);
            assertArrayEquals(CONTENT, IntegrityIT.stored(server, "/late.bin"));
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket data = new Socket();
        data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        data.setSoTimeout(20_000);
        return data;
    }
}
