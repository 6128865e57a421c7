package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool of SSH connections (vfs_sftp_connections) against a server that, like OpenSSH at its default
 * MaxSessions 10, refuses an 11th channel on one connection. Every download is opened before any is
 * read or closed, so all of them hold a channel at the same time, as 20 concurrent FTP RETRs do.
 */
@Timeout(120)
class SftpConnectionsTest {

    static final int MAX_SESSIONS = 10;
    static final int DOWNLOADS = 20;

    @TempDir
    static Path served;
    static SftpTestServer server;
    static final List<byte[]> CONTENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = SftpTestServer.startWithChannelLimit(served, MAX_SESSIONS);
        Files.createDirectory(served.resolve("d"));
        Random random = new Random(18);
        for (int i = 0; i < DOWNLOADS; i++) {
            byte[] bytes = new byte[100_000 + i];
            random.nextBytes(bytes);
            Files.write(served.resolve("d").resolve("f" + i), bytes);
            CONTENTS.add(bytes);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static VfsConfig config(int connections) {
        // a short connect timeout bounds how long an operation waits when every connection is full
        return SftpStorageTest.builder(server.uri()).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .sftpConnections(connections).build();
    }

    @Test
    void twentyConcurrentDownloadsArriveWithFourConnections() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(4))) {
            List<Object> results = downloadAllAtOnce(storage);
            for (int i = 0; i < DOWNLOADS; i++) {
                Object result = results.get(i);
                assertTrue(result instanceof byte[], "download " + i + ": " + result);
                assertArrayEquals(CONTENTS.get(i), (byte[]) result, "download " + i);
            }
            assertTrue(storage.mount().connections().open() > 1, "the downloads were spread");
        }
    }

    /** Views share the pool: sessions scoped to a home directory spread over the same connections. */
    @Test
    void scopedViewsShareThePool() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(4))) {
            Storage view = storage.scoped(StoragePath.parse("/d"));
            List<Object> results = downloadAllAtOnce(view, "/");
            for (int i = 0; i < DOWNLOADS; i++) {
                assertArrayEquals(CONTENTS.get(i), (byte[]) results.get(i), "download " + i + ": " + results.get(i));
            }
            assertTrue(storage.mount().connections().open() <= 4);
        }
    }

    /**
     * The proof the server really refuses: the same downloads over one connection fail once the
     * eleventh channel is asked for (after the bounded wait), as they did before the pool.
     */
    @Test
    void oneConnectionRefusesTheEleventhDownload() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(1))) {
            List<Object> results = downloadAllAtOnce(storage);
            long failed = results.stream().filter(StorageException.Transient.class::isInstance).count();
            assertTrue(failed > 0, "expected refused channels, got " + results.stream().map(
                    r -> r instanceof byte[] ? "ok" : String.valueOf(r)).toList());
            assertEquals(1, storage.mount().connections().open());
        }
    }

    /**
     * A failed upload whose temp file could not be deleted because the server was down: the temp file
     * goes away once the server is back and the storage reaches it again, without a restart.
     */
    @Test
    void anUploadTempFileLeftByAnOutageIsDeletedWhenTheServerIsBack() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(2))) {
            Upload upload = storage.openWrite(StoragePath.parse("/d/up"), new WriteMode.Replace());
            upload.stream().write(ByteBuffer.wrap(new byte[200_000]));
            server.stop();
            upload.abort();
            assertEquals(1, temps().size(), "the temp file stays while the server is down");
            server.restart();
            // any operation that reaches the server again triggers the retry
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!temps().isEmpty() && System.nanoTime() < deadline) {
                try {
                    storage.stat(StoragePath.parse("/d/f" + (int) (System.nanoTime() % DOWNLOADS)));
                } catch (StorageException e) {
                    // the first calls after the restart may still see the old, dead session
                }
                Thread.sleep(100);
            }
            assertEquals(List.of(), temps());
            assertEquals(0, storage.mount().leftovers().size());
        }
    }

    private static List<Path> temps() throws Exception {
        try (Stream<Path> files = Files.list(served.resolve("d"))) {
            return files.filter(p -> TempNames.isTempName(p.getFileName().toString())).toList();
        }
    }

    private static List<Object> downloadAllAtOnce(Storage storage) throws Exception {
        return downloadAllAtOnce(storage, "/d/");
    }

    private static List<Object> downloadAllAtOnce(Storage storage, String dir) throws Exception {
        return downloadAllAtOnce(storage, dir, DOWNLOADS);
    }

    /**
     * Opens files f0..f(count-1) in {@code dir} at once, then reads them: each result is the bytes or
     * the exception (of the open or of the read).
     */
    static List<Object> downloadAllAtOnce(Storage storage, String dir, int count) throws Exception {
        CountDownLatch opened = new CountDownLatch(count);
        List<Future<Object>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                StoragePath path = StoragePath.parse(dir + "f" + i);
                futures.add(threads.submit(() -> {
                    ReadableByteChannel in;
                    try {
                        in = storage.openRead(path, 0);
                    } catch (StorageException e) {
                        return e;
                    } finally {
                        opened.countDown();
                    }
                    try (in) {
                        assertTrue(opened.await(60, TimeUnit.SECONDS));
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        ByteBuffer buffer = ByteBuffer.allocate(8192);
                        while (in.read(buffer) >= 0) {
                            bytes.write(buffer.array(), 0, buffer.position());
                            buffer.clear();
                        }
                        return bytes.toByteArray();
                    } catch (IOException e) {
                        // Apache MINA SSHD over its channel limit may close a channel it accepted only
                        // once it is read: that download failed, the others still count
                        return e;
                    }
                }));
            }
        }
        List<Object> results = new ArrayList<>();
        for (Future<Object> future : futures) {
            results.add(future.get());
        }
        return results;
    }
}
