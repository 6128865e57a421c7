package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain binary RETR from the local disk goes out with sendfile (FileSender, DESIGN.md "Zero-copy
 * downloads"): byte-exact at every size and REST offset around its 64 KiB chunks and 8 MiB calls,
 * and what works on the stream path works on
 * it too: STAT, ABOR and the stall watchdog against a client that never reads.
 */
@Timeout(120)
class ZeroCopyDownloadIT {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path tempDir;

    private TestServer serve(String... settings) throws Exception {
        TestServer.Builder builder = Clients.writable(tempDir).local(root());
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        return builder.start();
    }

    private Path root() throws Exception {
        return Files.createDirectories(tempDir.resolve("root"));
    }

    @Test
    void downloadsAreByteExactAcrossChunksAndRestartOffsets() throws Exception {
        int[] sizes = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5, 8 * 1024 * 1024 + 3, 9 * 1024 * 1024 - 1};
        try (TestServer server = serve()) {
            FTPClient client = Clients.writer(server);
            for (int size : sizes) {
                byte[] content = Clients.random(size, size);
                String name = "f-" + size + ".bin";
                Files.write(root().resolve(name), content);
                long[] offsets = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, size - 1L, size};
                for (long offset : Arrays.stream(offsets).filter(o -> o >= 0 && o <= size).distinct().toArray()) {
                    client.setRestartOffset(offset);
                    byte[] back = Clients.retrieve(client, name);
                    byte[] expected = Arrays.copyOfRange(content, (int) offset, size);
                    assertEquals(expected.length, back.length, name + " from " + offset);
                    assertEquals(Clients.sha256(expected), Clients.sha256(back), name + " from " + offset);
                }
            }
            client.disconnect();
        }
    }

    @Test
    void statAndAborWorkOnASendfileDownloadTheClientDoesNotRead() throws Exception {
        sparse(root().resolve("big.bin"), 256L * 1024 * 1024);
        try (TestServer server = serve(); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            try (Socket data = stuckData(raw)) {
                raw.command("RETR big.bin", 150);
                long first = awaitStall(raw);
                assertTrue(first > 0 && first < 256L * 1024 * 1024, "bytes so far: " + first);
                raw.send("ABOR");
                raw.expect(426);
                raw.expect(226);
            }
            // the session goes on: a new download on the same session
            byte[] small = Clients.random(CHUNK * 2 + 7, 5);
            Files.write(root().resolve("small.bin"), small);
            try (Socket data = raw.passive()) {
                raw.command("RETR small.bin", 150);
                assertEquals(Clients.sha256(small), Clients.sha256(data.getInputStream().readAllBytes()));
            }
            raw.expect(226);
        }
    }

    @Test
    void theStallWatchdogCutsASendfileDownloadTheClientDoesNotRead() throws Exception {
        sparse(root().resolve("big.bin"), 256L * 1024 * 1024);
        try (TestServer server = serve("data_connection_timeout", "2"); Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            try (Socket data = stuckData(raw)) {
                long started = System.nanoTime();
                raw.command("RETR big.bin", 150);
                String reply = raw.expect(426);
                assertTrue(reply.contains("timed out"), reply);
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertTrue(seconds >= 1 && seconds < 15, "cut after " + seconds + " s");
            }
        }
    }

    /** PASV and a data connection whose receive window is tiny and which the test never reads. */
    static Socket stuckData(Clients.Raw raw) throws Exception {
        int port = Clients.pasvPort(raw.command("PASV", 227));
        Socket data = new Socket();
        data.setReceiveBufferSize(4096);
        data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return data;
    }

    /** STAT until the byte count stops moving (the socket buffers are full); that count. */
    static long awaitStall(Clients.Raw raw) throws Exception {
        Pattern bytes = Pattern.compile("(\\d+) bytes");
        long last = -1;
        for (int i = 0; i < 100; i++) {
            raw.send("STAT");
            String status = raw.reply();
            assertTrue(status.startsWith("211"), status);
            Matcher m = bytes.matcher(status);
            assertTrue(m.find(), status);
            long now = Long.parseLong(m.group(1));
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(200);
        }
        throw new AssertionError("the download never stalled: " + last);
    }

    /** A file of {@code size} zero bytes that takes no disk space. */
    static void sparse(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
