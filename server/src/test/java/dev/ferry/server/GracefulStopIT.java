package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code stop(grace)}: idle sessions hear 421 at once, running transfers may finish within the grace. */
@Timeout(60)
class GracefulStopIT {

    @Test
    void idleSessionIsToldTheServerIsShuttingDown() throws Exception {
        TestServer server = TestServer.builder().start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("220"));
            long started = System.nanoTime();
            server.close();
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5_000, "an idle session must not hold the stop");
            assertEquals("421 Server is shutting down.", in.readLine());
            assertEquals(null, in.readLine(), "the connection is closed after the 421");
        }
    }

    @Test
    void runningDownloadFinishesWithinTheGracePeriod() throws Exception {
        // larger than what loopback socket buffers hold, so the server cannot finish without us
        byte[] content = new byte[32 * 1024 * 1024];
        new Random(7).nextBytes(content);
        TestServer server = TestServer.builder().start();
        server.put("/big.bin", content);
        FTPClient client = server.anonymous();
        InputStream data = client.retrieveFileStream("big.bin");
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n = data.read(buffer);
        received.write(buffer, 0, n);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> server.server.stop(Duration.ofSeconds(20)));
        Thread.sleep(300);
        assertFalse(stop.isDone(), "stop waits for the running transfer");
        while ((n = data.read(buffer)) >= 0) {
            received.write(buffer, 0, n);
        }
        data.close();
        assertTrue(client.completePendingCommand(), client.getReplyString());
        assertArrayEquals(content, received.toByteArray(), "the transfer in progress is completed");
        stop.get();
        server.storage.close();
    }

    @Test
    void transferLongerThanTheGraceIsCut() throws Exception {
        // far more than loopback socket buffers hold, so the transfer cannot finish unread
        byte[] content = new byte[64 * 1024 * 1024];
        TestServer server = TestServer.builder().start();
        server.put("/big.bin", content);
        FTPClient client = server.anonymous();
        InputStream data = client.retrieveFileStream("big.bin");
        assertTrue(data.read() >= 0);
        long started = System.nanoTime();
        server.server.stop(Duration.ofMillis(500)); // the client does not read: the transfer cannot finish
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(took >= 400 && took < 10_000, "stop waited " + took + " ms for a 500 ms grace");
        long total = 1;
        byte[] buffer = new byte[64 * 1024];
        int n;
        try {
            while ((n = data.read(buffer)) >= 0) {
                total += n;
            }
        } catch (java.io.IOException reset) {
            // a reset is one way the cut shows
        }
        assertTrue(total < content.length, "the transfer was cut short");
        server.storage.close();
    }
}
