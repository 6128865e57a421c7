package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool against a stock OpenSSH sshd (MaxSessions 10) on a loopback port, logged in with a key as
 * the user running the tests (root in CI, which needs vfs_sftp_no_exec=YES). Skipped where sshd is not
 * installed (.ci/run installs openssh-server).
 */
@Timeout(120)
class SftpOpenSshTest {

    static final int DOWNLOADS = 50;

    @TempDir
    static Path work;
    static Path served;
    static OpenSshServer sshd;
    static final List<byte[]> CONTENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshServer.available(), "no OpenSSH sshd on this machine");
        sshd = OpenSshServer.start(Files.createDirectory(work.resolve("sshd")), 10);
        served = Files.createDirectory(work.resolve("served"));
        Random random = new Random(10);
        for (int i = 0; i < DOWNLOADS; i++) {
            byte[] bytes = new byte[150_000 + i];
            random.nextBytes(bytes);
            Files.write(served.resolve("f" + i), bytes);
            CONTENTS.add(bytes);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    static VfsConfig config(int connections) {
        String uri = "sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port() + served;
        return new VfsConfig(uri, "", Optional.of(sshd.userKey()), "", false, Optional.empty(), true, false,
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(2), 1000, connections);
    }

    /** 50 downloads at once need 50 channels: at least 6 connections of 10 (the default opens up to 8). */
    @Test
    void fiftyConcurrentDownloadsArriveWithTheDefaultPool() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(VfsConfig.DEFAULT_SFTP_CONNECTIONS))) {
            List<Object> results = SftpConnectionsTest.downloadAllAtOnce(storage, "/", DOWNLOADS);
            for (int i = 0; i < DOWNLOADS; i++) {
                Object result = results.get(i);
                assertTrue(result instanceof byte[], "download " + i + ": " + result);
                assertArrayEquals(CONTENTS.get(i), (byte[]) result, "download " + i);
            }
        }
    }

    /** Without the pool, sshd refuses channels beyond MaxSessions, as in the issue. */
    @Test
    void oneConnectionHitsMaxSessions() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(1))) {
            List<Object> results = SftpConnectionsTest.downloadAllAtOnce(storage, "/", 20);
            assertTrue(results.stream().anyMatch(StorageException.Transient.class::isInstance), results.toString());
            assertTrue(sshd.log().contains("no more sessions"), sshd.log());
        }
    }

    /** Root with vfs_sftp_no_exec=YES can write: an upload lands whole through temp-then-rename. */
    @Test
    void rootUploadsWithNoExec() throws Exception {
        try (VfsStorage storage = new VfsStorage(config(2))) {
            Upload upload = storage.openWrite(StoragePath.parse("/up.txt"), WriteMode.REPLACE);
            upload.stream().write(ByteBuffer.wrap("over openssh".getBytes(StandardCharsets.UTF_8)));
            assertEquals(12, upload.commit());
            assertEquals("over openssh", Files.readString(served.resolve("up.txt")));
        }
    }
}
