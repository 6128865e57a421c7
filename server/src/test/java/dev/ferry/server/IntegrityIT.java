package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bytes arrive as they were sent, checked by SHA-256, at the sizes where copy loops break. */
@Timeout(120)
class IntegrityIT {

    private static final int FIVE_MIB = 5 * 1024 * 1024;

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, FIVE_MIB})
    void retrStorAndRoundTripKeepEveryByte(int size) throws Exception {
        byte[] content = Clients.random(size, size);
        String expected = Clients.sha256(content);
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/down.bin", content);
            FTPClient client = Clients.writer(server);

            assertEquals(expected, Clients.sha256(Clients.retrieve(client, "down.bin")), "RETR");

            assertTrue(client.storeFile("up.bin", new ByteArrayInputStream(content)), client.getReplyString());
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            assertEquals(expected, Clients.sha256(stored(server, "/up.bin")), "STOR");
            assertEquals(expected, Clients.sha256(Clients.retrieve(client, "up.bin")), "STOR then RETR");
            assertEquals(213, client.sendCommand("SIZE up.bin"));
            assertEquals("213 " + size, client.getReplyString().trim());
            client.logout();
            client.disconnect();
        }
    }

    @Test
    void storReplacesAnExistingFileWhole() throws Exception {
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/f.bin", Clients.random(200_000, 7));
            byte[] shorter = Clients.random(1_000, 8);
            FTPClient client = Clients.writer(server);
            assertTrue(client.storeFile("f.bin", new ByteArrayInputStream(shorter)), client.getReplyString());
            assertEquals(Clients.sha256(shorter), Clients.sha256(Clients.retrieve(client, "f.bin")));
            client.disconnect();
        }
    }

    @Test
    void twoSessionsTransferAtOnce() throws Exception {
        byte[] download = Clients.random(FIVE_MIB, 11);
        byte[] upload = Clients.random(FIVE_MIB + 3, 12);
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/down.bin", download);
            FTPClient downloader = Clients.writer(server);
            FTPClient uploader = Clients.writer(server);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<byte[]> got = pool.submit(() -> Clients.retrieve(downloader, "down.bin"));
                Future<Boolean> put = pool.submit(() -> uploader.storeFile("up.bin", new ByteArrayInputStream(upload)));
                assertEquals(Clients.sha256(download), Clients.sha256(got.get(60, TimeUnit.SECONDS)));
                assertTrue(put.get(60, TimeUnit.SECONDS), uploader.getReplyString());
            } finally {
                pool.shutdownNow();
            }
            assertEquals(Clients.sha256(upload), Clients.sha256(stored(server, "/up.bin")));
            downloader.disconnect();
            uploader.disconnect();
        }
    }

    /** The bytes the storage holds under {@code path}, read around the server. */
    static byte[] stored(TestServer server, String path) throws Exception {
        try (InputStream in = Channels.newInputStream(server.storage.openRead(StoragePath.parse(path), 0))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("reading " + path, e);
        }
    }
}
