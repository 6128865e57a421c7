package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pinned virtual thread holds its carrier: with two cores, two of them stall every session. This
 * records JFR's {@code jdk.VirtualThreadPinned} events (threshold zero) while several sessions
 * upload, download and list on the local backend after a warm-up, and fails on any event from a
 * Ferry thread.
 */
@Timeout(120)
class VirtualThreadPinningIT {

    private static final int SESSIONS = 8;

    @TempDir
    Path disk;

    @Test
    void transfersNeverPinTheirCarrier() throws Exception {
        Path users = Files.writeString(disk.resolve("users"), "u:" + PasswordHash.sha512Crypt("pw") + ":" + disk + "\n");
        List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.builder().local(disk).set("local_enable", "YES")
                .set("write_enable", "YES").users(UserStore.load(users)).start();
             RecordingStream recording = new RecordingStream()) {
            // Loading and initialising a class pins once per class, in the JVM, whatever the code
            // does; one warm-up round loads them all so the recording sees only steady-state work.
            exercise(server, SESSIONS);
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.onEvent("jdk.VirtualThreadPinned", event -> {
                if (event.getThread() != null
                        && String.valueOf(event.getThread().getJavaName()).startsWith("ferry-")) {
                    pinned.add(event);
                }
            });
            recording.startAsync();
            ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int session = i;
                work.add(clients.submit(() -> {
                    exercise(server, session);
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(90, TimeUnit.SECONDS);
            }
            clients.shutdown();
            recording.stop();
        }
        assertTrue(pinned.isEmpty(), () -> "pinned virtual threads: " + pinned);
    }

    private static void exercise(TestServer server, int session) throws Exception {
        byte[] content = new byte[1024 * 1024 + session];
        new Random(session).nextBytes(content);
        FTPClient client = server.connect();
        try {
            assertTrue(client.login("u", "pw"));
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            for (int round = 0; round < 3; round++) {
                String name = "file-" + session + "-" + round + ".bin";
                assertTrue(client.storeFile(name, new ByteArrayInputStream(content)), client.getReplyString());
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertTrue(client.retrieveFile(name, back), client.getReplyString());
                assertArrayEquals(content, back.toByteArray());
                assertTrue(client.listFiles().length > 0);
            }
            client.logout();
        } finally {
            client.disconnect();
        }
    }
}
