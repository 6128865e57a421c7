package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small plain RETR of a local file whose client has connected already runs on the control
 * thread (Transfer.start); anything else keeps a transfer thread of its own. Which one ran shows in
 * the thread that logs the transfer's line: transfer threads are named {@code ferry-transfer-}.
 * What a client sees must not depend on it: the bytes, 150 then 226, ABOR and STAT right after,
 * bounce protection, and a client that connects only after its RETR.
 */
@Timeout(60)
class SmallTransferIT {

    private static final byte[] SMALL = Clients.random(4096, 41);
    /** The largest file that may run on the control thread (TransferCommands.Download.SMALL). */
    private static final byte[] EDGE = Clients.random(16 * 1024, 42);
    private static final byte[] OVER = Clients.random(16 * 1024 + 1, 43);
    private static final String TRANSFER_LOG = "dev.ferry.server.transfer.Transfer";

    @TempDir
    Path tempDir;

    private TestServer serve() throws Exception {
        Path root = Files.createDirectories(tempDir.resolve("root"));
        Files.write(root.resolve("small.bin"), SMALL);
        Files.write(root.resolve("edge.bin"), EDGE);
        Files.write(root.resolve("over.bin"), OVER);
        return Clients.writable(tempDir).local(root).start();
    }

    /** RETR over a data connection made before the command, as Commons Net, ftplib and curl do. */
    private static byte[] retrieve(Clients.Raw raw, String name) throws IOException {
        try (Socket data = raw.passive()) {
            raw.send("RETR " + name);
            raw.expect(150);
            byte[] bytes = data.getInputStream().readAllBytes();
            raw.expect(226);
            return bytes;
        }
    }

    /** The threads that logged each finished transfer's line, in order, once {@code count} have. */
    private static List<String> transferThreads(CapturedLog log, int count) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<String> threads = log.events().stream().filter(e -> e.getFormattedMessage().contains(" bytes in "))
                    .map(ILoggingEvent::getThreadName).toList();
            if (threads.size() >= count) {
                return threads;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("fewer than " + count + " transfer lines: " + log.messages());
    }

    private static boolean onTransferThread(String thread) {
        return thread.startsWith("ferry-transfer-");
    }

    @Test
    void smallFilesRunOnTheControlThreadAndArriveWhole() throws Exception {
        try (TestServer server = serve(); CapturedLog log = new CapturedLog(TRANSFER_LOG);
             Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(SMALL, retrieve(raw, "small.bin"));
                assertArrayEquals(EDGE, retrieve(raw, "edge.bin"));
                assertArrayEquals(OVER, retrieve(raw, "over.bin"));
            }
            List<String> threads = transferThreads(log, 150);
            for (int i = 0; i < 150; i += 3) {
                assertFalse(onTransferThread(threads.get(i)), "4 KiB: " + threads.get(i));
                assertFalse(onTransferThread(threads.get(i + 1)), "16 KiB: " + threads.get(i + 1));
                assertTrue(onTransferThread(threads.get(i + 2)), "16 KiB + 1: " + threads.get(i + 2));
            }
        }
    }

    @Test
    void aClientThatConnectsAfterItsRetrIsWaitedFor() throws Exception {
        try (TestServer server = serve(); CapturedLog log = new CapturedLog(TRANSFER_LOG);
             Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            int port = Clients.pasvPort(raw.command("PASV", 227));
            raw.send("RETR small.bin");
            Thread.sleep(300);
            try (Socket data = new Socket()) {
                data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                data.setSoTimeout(20_000);
                raw.expect(150);
                assertArrayEquals(SMALL, data.getInputStream().readAllBytes());
            }
            raw.expect(226);
            assertTrue(onTransferThread(transferThreads(log, 1).getFirst()));
            raw.command("NOOP", 200);
        }
    }

    @Test
    void aborAndStatRightAfterASmallRetrFindItOver() throws Exception {
        try (TestServer server = serve(); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            try (Socket data = raw.passive()) {
                // all three in one write: the control thread reads ABOR and STAT after the 226
                raw.send("RETR small.bin\r\nABOR\r\nSTAT");
                raw.expect(150);
                raw.expect(226);
                raw.expect(225); // RFC 959 section 4.1.3: no transfer left to abort
                String status = raw.reply();
                assertTrue(status.startsWith("211-") && status.contains("No transfer in progress"), status);
                assertArrayEquals(SMALL, data.getInputStream().readAllBytes());
            }
            assertArrayEquals(SMALL, retrieve(raw, "small.bin"));
        }
    }

    @Test
    void aClientThatNeverReadsStillGetsItsSmallFileSentAndThe226() throws Exception {
        try (TestServer server = serve(); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            int port = Clients.pasvPort(raw.command("PASV", 227));
            try (Socket data = new Socket()) {
                data.setReceiveBufferSize(1024); // the least Linux allows: the file waits in our send buffer
                data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                raw.send("RETR edge.bin");
                raw.expect(150);
                raw.expect(226);
                raw.command("NOOP", 200);
                data.setSoTimeout(20_000);
                assertArrayEquals(EDGE, data.getInputStream().readAllBytes());
            }
        }
    }

    @Test
    void aConnectionFromAnotherAddressIsRefusedWithoutAByte() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (ServerSocket probe = new ServerSocket(0, 1, other)) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (IOException e) {
            Assumptions.abort("127.0.0.2 is not usable here: " + e);
        }
        try (TestServer server = serve(); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            int port = Clients.pasvPort(raw.command("PASV", 227));
            try (Socket data = new Socket()) {
                data.bind(new InetSocketAddress(other, 0));
                data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                data.setSoTimeout(5_000);
                raw.send("RETR small.bin");
                raw.expect(425); // vsftpd's "Security: Bad IP connecting."
                assertEquals(-1, readOrEnd(data.getInputStream()));
            }
            assertArrayEquals(SMALL, retrieve(raw, "small.bin"));
        }
    }

    /** STOR over a data connection made before the command. */
    private static void store(Clients.Raw raw, String name, byte[] content) throws Exception {
        try (Socket data = raw.passive()) {
            raw.send("STOR " + name);
            raw.expect(150);
            data.getOutputStream().write(content);
        }
        raw.expect(226);
    }

    /**
     * An upload's size is not known before its end and its bytes come from the client, so a read
     * may wait: uploads keep a thread of their own, however small (measured: starting them on the
     * control thread with a hand-off after 100 ms did not pay for itself; README, "Per-file and
     * per-entry costs").
     */
    @Test
    void uploadsKeepAThreadOfTheirOwn() throws Exception {
        try (TestServer server = serve(); CapturedLog log = new CapturedLog(TRANSFER_LOG);
             Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            for (int i = 0; i < 5; i++) {
                store(raw, "up" + i + ".bin", SMALL);
            }
            for (String thread : transferThreads(log, 5)) {
                assertTrue(onTransferThread(thread), thread);
            }
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(SMALL, Files.readAllBytes(tempDir.resolve("root").resolve("up" + i + ".bin")));
            }
        }
    }

    @Test
    void aStalledSmallUploadAnswersStatAndAborAndLeavesNoFile() throws Exception {
        try (TestServer server = serve(); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            try (Socket data = raw.passive()) {
                raw.send("STOR stalled.bin");
                raw.expect(150);
                data.getOutputStream().write(SMALL); // then nothing more, and no end
                Thread.sleep(300);
                raw.send("STAT");
                String status = raw.reply();
                assertTrue(status.startsWith("211-") && status.contains("Transfer in progress: STOR /stalled.bin, 4096 bytes"),
                        status);
                raw.send("ABOR");
                raw.expect(426);
                raw.expect(226);
            }
            // atomic uploads: nothing under the target name after an aborted one
            assertFalse(Files.exists(tempDir.resolve("root").resolve("stalled.bin")));
            store(raw, "after.bin", SMALL);
        }
    }

    private static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (IOException reset) {
            return -1;
        }
    }
}
