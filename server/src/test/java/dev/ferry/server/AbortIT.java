package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a running transfer from outside: ABOR, STAT, QUIT (RFC 959 section 4.1.3), a
 * client that goes away, and data_connection_timeout. A 64 MiB file never fits in the socket
 * buffers, so a client that stops reading keeps the transfer running.
 */
@Timeout(60)
class AbortIT {

    private static final byte[] BIG = new byte[64 * 1024 * 1024];
    private static final byte[] SMALL = Clients.random(10_000, 31);
    private static final byte[] CHUNK = Clients.random(256 * 1024, 32);

    @TempDir
    Path tempDir;

    private TestServer serve(TestServer.Builder builder) throws Exception {
        TestServer server = builder.metrics().start();
        server.put("/big.bin", BIG);
        server.put("/small.bin", SMALL);
        return server;
    }

    private static void readSome(InputStream in, int count) throws Exception {
        assertEquals(count, in.readNBytes(new byte[count], 0, count));
    }

    @Test
    void aborDuringRetrGives426Then226AndTheSessionGoesOn() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir))) {
            FTPClient client = Clients.writer(server);
            InputStream in = client.retrieveFileStream("big.bin");
            assertNotNull(in, client.getReplyString());
            readSome(in, 1 << 20);
            assertEquals(426, client.sendCommand("ABOR"), client.getReplyString());
            assertEquals(226, client.getReply(), client.getReplyString());
            in.close();
            assertEquals(200, client.noop(), client.getReplyString());
            assertArrayEquals(SMALL, Clients.retrieve(client, "small.bin"));
            client.disconnect();
        }
    }

    @Test
    void aborBeforeTheDataConnectionIsMade() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir)); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            raw.command("PASV", 227);
            raw.send("RETR small.bin");
            // the transfer waits for a client that never connects; ABOR ends the wait
            raw.send("ABOR");
            raw.expect(426);
            raw.expect(226);
            raw.command("NOOP", 200);
        }
    }

    /** RFC 959 section 4.1.3: "IAC IP, IAC DM (Synch), ABOR", all in band. */
    @Test
    void aborAfterTelnetInterruptAndSynchInBand() throws Exception {
        aborWithPrefix(new byte[] {(byte) 255, (byte) 244, (byte) 255, (byte) 242}, false);
    }

    /**
     * The BSD ftp client's abort: IAC IP IAC sent with MSG_OOB, then DM and ABOR. The urgent byte
     * (the second IAC) is not in the stream a server reads without SO_OOBINLINE, so the line
     * arrives as IAC IP DM "ABOR".
     */
    @Test
    void aborAfterBsdStyleUrgentSynch() throws Exception {
        aborWithPrefix(new byte[] {(byte) 255, (byte) 244}, true);
    }

    private void aborWithPrefix(byte[] prefix, boolean urgentIac) throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir)); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            try (Socket data = raw.passive()) {
                raw.command("RETR big.bin", 150);
                readSome(data.getInputStream(), 1 << 20);
                OutputStream out = raw.socket.getOutputStream();
                out.write(prefix);
                out.flush();
                if (urgentIac) {
                    raw.socket.sendUrgentData(255);
                    out.write(242); // DM
                }
                out.write("ABOR\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                raw.expect(426);
                raw.expect(226);
            }
            raw.command("NOOP", 200);
        }
    }

    @Test
    void aborWithNothingRunningIs225() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir))) {
            FTPClient client = Clients.writer(server);
            assertEquals(225, client.sendCommand("ABOR"), client.getReplyString());
            // ABOR also drops a prepared data connection
            assertEquals(227, client.sendCommand("PASV"));
            assertEquals(225, client.sendCommand("ABOR"), client.getReplyString());
            assertEquals(425, client.sendCommand("RETR small.bin"), client.getReplyString());
            client.disconnect();
        }
    }

    /** Starts STOR of {@code name}, sends a first chunk, then ABOR: 426 for the upload, 226 for ABOR. */
    private static void abortUploadMidway(FTPClient client, String name) throws IOException {
        OutputStream out = client.storeFileStream(name);
        assertNotNull(out, client.getReplyString());
        out.write(CHUNK);
        out.flush();
        assertEquals(426, client.sendCommand("ABOR"), client.getReplyString());
        assertEquals(226, client.getReply(), client.getReplyString());
        closeQuietly(out);
    }

    @Test
    void abortedStorOfANewFileLeavesNothing() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir))) {
            FTPClient client = Clients.writer(server);
            abortUploadMidway(client, "new.bin");
            assertEquals(550, client.sendCommand("SIZE new.bin"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void abortedStorOverAnExistingFileKeepsIt() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir))) {
            FTPClient client = Clients.writer(server);
            abortUploadMidway(client, "small.bin");
            assertEquals(Clients.sha256(SMALL), Clients.sha256(Clients.retrieve(client, "small.bin")));
            client.disconnect();
        }
    }

    @Test
    void statDuringATransferReportsTheBytesSoFar() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir))) {
            FTPClient client = Clients.writer(server);
            InputStream in = client.retrieveFileStream("big.bin");
            assertNotNull(in, client.getReplyString());
            readSome(in, 1 << 20);
            assertEquals(211, client.sendCommand("STAT"), client.getReplyString());
            String status = client.getReplyString();
            assertTrue(status.startsWith("211-"), status);
            Matcher bytes = Pattern.compile("(\\d+) bytes").matcher(status);
            assertTrue(bytes.find(), status);
            long soFar = Long.parseLong(bytes.group(1));
            assertTrue(soFar >= 1 << 20 && soFar < BIG.length, status);
            assertEquals(426, client.sendCommand("ABOR"), client.getReplyString());
            assertEquals(226, client.getReply(), client.getReplyString());
            in.close();
            client.disconnect();
        }
    }

    @Test
    void quitDuringATransferWaitsFor226() throws Exception {
        byte[] content = Clients.random(3 * 1024 * 1024, 33);
        try (TestServer server = serve(Clients.writable(tempDir)); Clients.Raw raw = new Clients.Raw(server)) {
            server.put("/three.bin", content);
            raw.login();
            try (Socket data = raw.passive()) {
                raw.command("RETR three.bin", 150);
                raw.send("QUIT");
                assertEquals(Clients.sha256(content), Clients.sha256(data.getInputStream().readAllBytes()));
            }
            raw.expect(226);
            raw.expect(221);
        }
    }

    /** DESIGN.md, stop(grace): a running transfer may finish within the grace period, then 421. */
    @Test
    void serverStopLetsATransferFinishThenSays421() throws Exception {
        byte[] content = Clients.random(3 * 1024 * 1024, 34);
        try (TestServer server = serve(Clients.writable(tempDir)); Clients.Raw raw = new Clients.Raw(server)) {
            server.put("/three.bin", content);
            raw.login();
            try (Socket data = raw.passive()) {
                raw.command("RETR three.bin", 150);
                Thread stopper = Thread.ofPlatform().start(() -> server.server.stop(Duration.ofSeconds(10)));
                Thread.sleep(300);
                assertEquals(Clients.sha256(content), Clients.sha256(data.getInputStream().readAllBytes()));
                stopper.join(15_000);
                assertFalse(stopper.isAlive(), "stop did not return");
            }
            raw.expect(226);
            raw.expect(421);
        }
    }

    @Test
    void clientVanishingMidStorLeavesNothing() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir))) {
            Clients.Raw raw = new Clients.Raw(server);
            raw.login();
            Socket data = raw.passive();
            raw.command("STOR vanished.bin", 150);
            data.getOutputStream().write(CHUNK);
            data.getOutputStream().flush();
            // the control connection goes first, as when a client process dies: then the data
            raw.close();
            awaitNoSessions(server);
            data.close();
            assertFalse(exists(server, "/vanished.bin"), "an abandoned upload became visible");
        }
    }

    @Test
    void dataConnectionResetMidStorIs426AndLeavesNothing() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir)); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            Socket data = raw.passive();
            raw.command("STOR reset.bin", 150);
            data.getOutputStream().write(CHUNK);
            data.getOutputStream().flush();
            data.setSoLinger(true, 0); // close with RST: the upload did not end, it broke
            data.close();
            raw.expect(426);
            raw.command("SIZE reset.bin", 550);
            raw.command("NOOP", 200);
        }
    }

    @Test
    void stalledDownloadTimesOutWith426AndTheSessionGoesOn() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir).set("data_connection_timeout", "2"))) {
            FTPClient client = Clients.writer(server);
            long start = System.nanoTime();
            InputStream in = client.retrieveFileStream("big.bin");
            assertNotNull(in, client.getReplyString());
            // read nothing more: the server's writes block once the socket buffers are full
            assertEquals(426, client.getReply(), client.getReplyString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1_500 && millis <= 4_500, "426 after " + millis + " ms");
            in.close();
            assertEquals(200, client.noop(), client.getReplyString());
            assertArrayEquals(SMALL, Clients.retrieve(client, "small.bin"));
            client.disconnect();
        }
    }

    @Test
    void stalledUploadTimesOutWith426AndStoresNothing() throws Exception {
        try (TestServer server = serve(Clients.writable(tempDir).set("data_connection_timeout", "2"));
             Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            try (Socket data = raw.passive()) {
                raw.command("STOR stalled.bin", 150);
                data.getOutputStream().write(CHUNK);
                data.getOutputStream().flush();
                long start = System.nanoTime();
                // then nothing: the data connection stays open and silent
                raw.expect(426);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis >= 1_500 && millis <= 4_500, "426 after " + millis + " ms");
            }
            raw.command("SIZE stalled.bin", 550);
            raw.command("NOOP", 200);
        }
    }

    private static void awaitNoSessions(TestServer server) throws Exception {
        for (int i = 0; i < 200 && server.activeSessions() > 0; i++) {
            Thread.sleep(25);
        }
        assertEquals(0, server.activeSessions(), "the session did not end");
    }

    private static boolean exists(TestServer server, String path) throws StorageException {
        try {
            server.storage.stat(StoragePath.parse(path));
            return true;
        } catch (StorageException.NotFound e) {
            return false;
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (java.io.IOException ignored) {
            // the server closed the data connection first
        }
    }
}
