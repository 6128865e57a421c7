package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordingStream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain binary RETR from the local disk goes out with sendfile (FileSender, DESIGN.md "Zero-copy
 * downloads"): byte-exact at every size and REST offset around its 64 KiB chunks and 8 MiB calls,
 * the bytes do not pass through a socket write (JFR), and what works on the stream path works on
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

    /**
     * JFR's jdk.SocketWrite sees every write through a SocketChannel or its streams, not sendfile:
     * a binary RETR of 8 MiB writes far less than 8 MiB that way (its first chunk, and one chunk
     * each time the socket was full), a TYPE A one all of it (the stream path, which shows the
     * measurement sees the writes at all).
     */
    @Test
    void binaryDownloadsBypassSocketWritesAsciiOnesDoNot() throws Exception {
        int size = 8 * 1024 * 1024;
        byte[] content = Clients.random(size, 8);
        Files.write(root().resolve("eight.bin"), content);
        try (TestServer server = serve("ascii_download_enable", "YES");
             RecordingStream recording = new RecordingStream()) {
            AtomicLong written = new AtomicLong();
            recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO);
            recording.onEvent("jdk.SocketWrite", event -> {
                if (event.getThread() != null
                        && String.valueOf(event.getThread().getJavaName()).startsWith("ferry-transfer")) {
                    written.addAndGet(event.getLong("bytesWritten"));
                }
            });
            recording.startAsync();
            FTPClient client = Clients.writer(server);
            Clients.retrieve(client, "eight.bin"); // warm-up: classes loaded, JFR running
            Thread.sleep(1500);
            written.set(0);
            assertEquals(Clients.sha256(content), Clients.sha256(Clients.retrieve(client, "eight.bin")));
            Thread.sleep(1500); // JFR hands events over about once a second
            long binary = written.get();
            assertTrue(client.setFileType(FTP.ASCII_FILE_TYPE), client.getReplyString());
            ByteArrayOutputStream ascii = new ByteArrayOutputStream();
            written.set(0);
            assertTrue(client.retrieveFile("eight.bin", ascii), client.getReplyString());
            Thread.sleep(1500);
            long converted = written.get();
            client.disconnect();
            assertTrue(converted >= size, "TYPE A writes every byte through the socket: " + converted);
            assertTrue(binary < size / 2, "binary RETR went through socket writes: " + binary + " of " + size);
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
            String status = raw.expect(211);
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
