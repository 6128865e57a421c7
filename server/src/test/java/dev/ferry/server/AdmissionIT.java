package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** max_clients, max_per_ip, max_sessions_per_user and max_transfers with real clients. */
@Timeout(60)
class AdmissionIT {

    @TempDir
    Path tempDir;

    /** Connects from {@code from} and returns the first line the server sends, or null if it closed. */
    private static String greeting(TestServer server, String from, Socket[] keep) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        socket.setSoTimeout(10_000);
        keep[0] = socket;
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        return in.readLine();
    }

    /** Reads to the end: a refused client is disconnected after its 421. */
    private static String rest(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        return in.readLine();
    }

    @Test
    void maxClientsRefusesTheNextClientWithVsftpdsLineAndTakesItBackOnDisconnect() throws Exception {
        try (TestServer server = TestServer.builder().set("max_clients", "2").start()) {
            FTPClient a = server.anonymous();
            FTPClient b = server.connect();
            Socket[] refused = new Socket[1];
            assertEquals("421 There are too many connected users, please try later.",
                    greeting(server, "127.0.0.1", refused));
            assertNull(rest(refused[0]), "the refused client is disconnected");
            refused[0].close();
            assertTrue(a.sendNoOp(), "admitted clients go on");
            b.disconnect();
            // b's place comes back once its session has ended
            String line = null;
            for (int i = 0; i < 100; i++) {
                Socket[] next = new Socket[1];
                line = greeting(server, "127.0.0.1", next);
                next[0].close();
                if (line.startsWith("220")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertTrue(line.startsWith("220 "), line);
            a.disconnect();
        }
    }

    @Test
    void maxPerIpRefusesOnlyThatAddress() throws Exception {
        try (TestServer server = TestServer.builder().set("max_per_ip", "1").start()) {
            Socket[] first = new Socket[1];
            Socket[] second = new Socket[1];
            Socket[] other = new Socket[1];
            assertTrue(greeting(server, "127.0.0.1", first).startsWith("220 "));
            assertEquals("421 There are too many connections from your internet address.",
                    greeting(server, "127.0.0.1", second));
            // Linux routes all of 127/8 to lo: 127.0.0.2 is another client address
            assertTrue(greeting(server, "127.0.0.2", other).startsWith("220 "));
            for (Socket socket : new Socket[] {first[0], second[0], other[0]}) {
                socket.close();
            }
        }
    }

    @Test
    void maxSessionsPerUserRefusesTheLoginWith530UntilOneLogsOut() throws Exception {
        try (TestServer server = Clients.writable(tempDir).set("max_sessions_per_user", "1").start()) {
            FTPClient first = Clients.writer(server);
            FTPClient second = server.connect();
            assertTrue(!second.login(Clients.USER, Clients.PASSWORD));
            assertEquals("530 Login refused: too many sessions for this user, please try later.",
                    second.getReplyString().trim());
            assertTrue(second.sendNoOp(), "the refused session stays connected");
            // anonymous sessions are not counted per user
            assertTrue(second.login("anonymous", "me@example.com"), second.getReplyString());
            assertEquals(220, first.sendCommand("REIN"), first.getReplyString());
            FTPClient third = Clients.writer(server);
            assertTrue(third.sendNoOp());
            for (FTPClient client : new FTPClient[] {first, second, third}) {
                client.disconnect();
            }
        }
    }

    @Test
    void maxTransfersRefusesWith425AndTheSlotComesBack() throws Exception {
        byte[] big = Clients.random(4 * 1024 * 1024, 3);
        try (TestServer server = TestServer.builder().set("max_transfers", "1")
                .set("anon_max_rate", Integer.toString(2 * 1024 * 1024)).start()) {
            server.put("/big.bin", big);
            server.put("/small.bin", new byte[] {1, 2, 3});
            FTPClient slow = server.anonymous();
            FTPClient other = server.anonymous();
            var in = slow.retrieveFileStream("big.bin"); // 2 s at 2 MiB/s
            assertTrue(in != null, slow.getReplyString());
            other.enterLocalPassiveMode();
            assertEquals(425, other.pasv() == 227 ? other.sendCommand("RETR small.bin") : -1, other.getReplyString());
            assertEquals("425 Too many transfers in progress, please try later.", other.getReplyString().trim());
            assertTrue(other.sendNoOp());
            in.readAllBytes();
            in.close();
            assertTrue(slow.completePendingCommand(), slow.getReplyString());
            assertEquals(3, Clients.retrieve(other, "small.bin").length);
            slow.disconnect();
            other.disconnect();
        }
    }
}
