package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.vfs.OpenSshServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry on {@code sftp://} in front of a stock OpenSSH sshd ({@code MaxSessions 10}, its default), as
 * users deploy it: 20 FTP sessions download at once and all 20 files arrive byte-exact (with one SSH
 * connection, 10 of them failed with 451), then 20 upload at once and all 20 land whole. The SFTP
 * login is root's key in CI, which needs {@code vfs_sftp_no_exec=YES} to write. Skipped where sshd is
 * not installed (.ci/run installs openssh-server).
 */
@Timeout(180)
class FtpOverOpenSshIT {

    private static final int SESSIONS = 20;
    private static final String PASSWORD = "over ssh";

    @TempDir
    static Path work;
    static Path served;
    static OpenSshServer sshd;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshServer.available(), "no OpenSSH sshd on this machine");
        sshd = OpenSshServer.start(Files.createDirectory(work.resolve("sshd")), 10);
        served = Files.createDirectory(work.resolve("served"));
        String uri = "sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port() + served;
        List<String> settings = List.of("storage=vfs", "vfs_root=" + uri,
                "vfs_sftp_private_key_file=" + sshd.userKey(), "vfs_sftp_strict_host_key_checking=NO",
                "vfs_sftp_no_exec=YES", "vfs_connect_timeout=5s", "vfs_timeout=20s");
        List<StorageProvider> providers = StorageProvider.installed();
        ServerConfig config = ServerConfig.load(List.of(Source.overrides(settings)),
                providers.stream().flatMap(p -> p.settings().stream()).toList());
        Storage storage = providers.stream().filter(p -> p.name().equals("vfs")).findFirst().orElseThrow()
                .open(config.backendSettings());
        Path users = Files.writeString(work.resolve("users"), "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":/\n");
        server = TestServer.builder().storage(storage)
                .set("local_enable", "YES")
                .set("write_enable", "YES")
                .set("max_per_ip", "0")
                .users(UserStore.load(users))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void twentyConcurrentDownloadsArriveByteExact() throws Exception {
        // larger than loopback's socket buffers, so a transfer cannot finish before its client reads
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            byte[] bytes = random(12 * 1024 * 1024 + 97 * i, i);
            Files.write(served.resolve("down" + i + ".bin"), bytes);
            expected.add(sha256(bytes));
        }
        // every client holds its download open until all 20 have their first bytes, so 20 SFTP reads
        // are open on the SSH server at once, twice its MaxSessions
        CountDownLatch started = new CountDownLatch(SESSIONS);
        List<String> results = allAtOnce(i -> {
            FTPClient client = login();
            try (InputStream in = client.retrieveFileStream("down" + i + ".bin")) {
                if (in == null) {
                    started.countDown();
                    return "failed: " + client.getReplyString().strip();
                }
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update((byte) in.read());
                started.countDown();
                started.await(60, TimeUnit.SECONDS);
                in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
                in.close();
                if (!client.completePendingCommand()) {
                    return "failed: " + client.getReplyString().strip();
                }
                return HexFormat.of().formatHex(digest.digest());
            } finally {
                client.logout();
                client.disconnect();
            }
        });
        for (int i = 0; i < SESSIONS; i++) {
            assertEquals(expected.get(i), results.get(i), "download " + i);
        }
    }

    @Test
    void twentyConcurrentUploadsLandWhole() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            contents.add(random(300_000 + 89 * i, 100 + i));
        }
        List<String> results = allAtOnce(i -> {
            FTPClient client = login();
            boolean ok = client.storeFile("up" + i + ".bin", new ByteArrayInputStream(contents.get(i)));
            String reply = client.getReplyString().strip();
            client.logout();
            client.disconnect();
            return ok ? "226" : "failed: " + reply;
        });
        for (int i = 0; i < SESSIONS; i++) {
            assertEquals("226", results.get(i), "upload " + i);
            assertEquals(sha256(contents.get(i)), sha256(Files.readAllBytes(served.resolve("up" + i + ".bin"))),
                    "upload " + i + " on the SSH server");
        }
        try (var names = Files.list(served)) {
            assertTrue(names.noneMatch(p -> p.getFileName().toString().startsWith(".ferry-upload")),
                    "no temp file left behind");
        }
    }

    interface Job {
        String run(int index) throws Exception;
    }

    /** Runs the job for every session index at the same moment (a latch releases them together). */
    private static List<String> allAtOnce(Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int index = i;
                Callable<String> task = () -> {
                    go.await();
                    return job.run(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> future : futures) {
                results.add(future.get(150, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static FTPClient login() throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login("alice", PASSWORD), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
