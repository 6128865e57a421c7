package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Data channels behind NAT and firewalls: port reuse in a small passive range, the per-address
 * cap against PASV floods, the advertised address per client network, pasv_addr_resolve,
 * listen_address6, and connect_from_port_20.
 */
@Timeout(90)
class DataChannelIT {

    private static final byte[] CONTENT = Clients.random(256 * 1024, 11);

    /** A control connection from a chosen loopback address (Linux routes all of 127/8 to lo). */
    private static final class From implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        From(TestServer server, String address) throws IOException {
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            assertTrue(in.readLine().startsWith("220 "));
            assertTrue(command("USER anonymous").startsWith("331 "));
            assertTrue(command("PASS me@example.com").startsWith("230 "));
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aTwoPortRangeServesManyTransfersAndConcurrentSessions() throws Exception {
        int min = Clients.freeRange(2);
        try (TestServer server = TestServer.builder().set("pasv_min_port", Integer.toString(min))
                .set("pasv_max_port", Integer.toString(min + 1)).set("pasv_max_per_ip", "2").start()) {
            server.put("/f.bin", CONTENT);
            FTPClient a = server.anonymous();
            FTPClient b = server.anonymous();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                // each port is reused while the previous transfer on it is in TIME_WAIT
                List<Future<?>> runs = new ArrayList<>();
                for (FTPClient client : List.of(a, b)) {
                    runs.add(pool.submit(() -> {
                        for (int i = 0; i < 15; i++) {
                            assertArrayEquals(CONTENT, Clients.retrieve(client, "f.bin"));
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            a.disconnect();
            b.disconnect();
        }
    }

    @Test
    void aPassiveFloodFromOneAddressCannotTakeTheWholeRange() throws Exception {
        int min = Clients.freeRange(4);
        try (TestServer server = TestServer.builder().set("pasv_min_port", Integer.toString(min))
                .set("pasv_max_port", Integer.toString(min + 3)).start();
             From one = new From(server, "127.0.0.1");
             From two = new From(server, "127.0.0.1");
             From three = new From(server, "127.0.0.1");
             From other = new From(server, "127.0.0.2")) {
            // a session holds one listener at a time: PASV again gives the same slot back first
            for (int i = 0; i < 10; i++) {
                assertTrue(one.command("PASV").startsWith("227 "));
            }
            assertTrue(two.command("PASV").startsWith("227 "));
            // the default cap is half of the 4-port range per address
            assertEquals("425 Cannot open a passive connection: too many from your address.", three.command("PASV"));
            assertTrue(other.command("PASV").startsWith("227 "), "another address still gets a port");
            assertTrue(three.command("NOOP").startsWith("200 "));
            // one listener given back (ABOR closes it): the flooding address may open one again
            assertTrue(one.command("ABOR").startsWith("225 "));
            assertTrue(three.command("PASV").startsWith("227 "));
        }
    }

    @Test
    void theAdvertisedAddressFollowsTheClientsNetwork() throws Exception {
        try (TestServer server = TestServer.builder()
                .set("pasv_address", "203.0.113.7")
                .set("pasv_address_map", "10.0.0.0/8=10.0.0.5, 127.0.0.2/32=192.168.1.5").start();
             From outside = new From(server, "127.0.0.1");
             From inside = new From(server, "127.0.0.2")) {
            assertEquals("203.0.113.7", Clients.pasvHost(outside.command("PASV")));
            assertEquals("192.168.1.5", Clients.pasvHost(inside.command("PASV")));
        }
    }

    @Test
    void pasvAddrResolveAnnouncesTheResolvedName() throws Exception {
        try (TestServer server = TestServer.builder().set("pasv_address", "localhost")
                .set("pasv_addr_resolve", "YES").start()) {
            FTPClient client = server.anonymous();
            assertEquals(227, client.pasv());
            assertEquals("127.0.0.1", Clients.pasvHost(client.getReplyString()));
            client.disconnect();
        }
    }

    @Test
    void anUnresolvableAddressStopsTheStart() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> TestServer.builder()
                .set("pasv_address", "no-such-host.invalid").set("pasv_addr_resolve", "YES").start().close());
        assertTrue(e.getMessage().startsWith("pasv_address=no-such-host.invalid does not resolve"), e.getMessage());
    }

    @Test
    void listenAddress6ServesEpsvAndRefusesPasvClearly() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "::1 is not available here");
        try (TestServer server = TestServer.builder().set("listen_ipv6", "YES").set("listen_address6", "::1").start()) {
            server.put("/f.bin", CONTENT);
            FTPClient client = new FTPClient();
            client.setDefaultTimeout(20_000);
            client.connect("::1", server.port());
            client.setSoTimeout(20_000);
            assertTrue(client.login("anonymous", "x@example.com"), client.getReplyString());
            assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE));
            client.enterLocalPassiveMode(); // EPSV on an IPv6 connection
            assertArrayEquals(CONTENT, Clients.retrieve(client, "f.bin"));
            assertEquals(425, client.sendCommand("PASV"));
            assertEquals("425 PASV is IPv4 only; use EPSV on an IPv6 connection.", client.getReplyString().trim());
            client.disconnect();
            // bound to ::1 only: IPv4 clients are not served
            try (Socket v4 = new Socket()) {
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> v4.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000));
            }
        }
    }

    @Test
    void connectFromPort20UsesFtpDataPort() throws Exception {
        int source = Clients.freeRange(1);
        try (TestServer server = TestServer.builder().set("connect_from_port_20", "YES")
                .set("ftp_data_port", Integer.toString(source)).start()) {
            server.put("/f.bin", CONTENT);
            assertEquals(source, activeDownloadSourcePort(server));
            assertEquals(source, activeDownloadSourcePort(server), "the port is reused by the next transfer");
        }
    }

    @Test
    void whenFtpDataPortCannotBeBoundActiveModeStillWorks() throws Exception {
        // a port another socket listens on cannot be bound, even with SO_REUSEADDR: the same
        // failure as port 20 without privileges, whoever runs the test
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             TestServer server = TestServer.builder().set("connect_from_port_20", "YES")
                     .set("ftp_data_port", Integer.toString(taken.getLocalPort())).start()) {
            server.put("/f.bin", CONTENT);
            int port = activeDownloadSourcePort(server);
            assertTrue(port != taken.getLocalPort() && port > 0, "came from " + port);
        }
    }

    /** PORT to a listener of our own, RETR, and the source port of the server's connection. */
    private static int activeDownloadSourcePort(TestServer server) throws Exception {
        try (RawClient client = RawClient.anonymous(server.port());
             ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listener.setSoTimeout(10_000);
            assertEquals(200, client.command("TYPE I").code());
            int port = listener.getLocalPort();
            assertEquals(200, client.command("PORT 127,0,0,1," + (port >> 8) + "," + (port & 0xff)).code());
            client.send("RETR f.bin\r\n");
            try (Socket data = listener.accept()) {
                assertArrayEquals(CONTENT, data.getInputStream().readAllBytes());
                assertEquals(150, client.reply().code());
                assertEquals(226, client.reply().code());
                return data.getPort();
            }
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
}
