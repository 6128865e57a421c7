package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.vfs.SftpTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ferry with the vfs backend on {@code sftp://}, opened through its provider as Main does, against an
 * in-process SFTP server (Apache MINA SSHD), driven by Commons Net's FTPClient: integrity, the file
 * commands, resume, and an SFTP server that goes away in the middle of a transfer.
 */
@Timeout(120)
class VfsSftpBackendIT {

    private static final String PASSWORD = "ftp pass";

    @TempDir
    Path served;
    @TempDir
    Path work;
    SftpTestServer sftp;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        sftp = SftpTestServer.start(served);
        Path knownHosts = sftp.knownHosts(work);
        Storage storage = openThroughProvider(List.of(
                "storage=vfs",
                "vfs_root=" + sftp.uri(),
                "vfs_password=" + SftpTestServer.PASSWORD,
                "vfs_sftp_known_hosts_file=" + knownHosts,
                "vfs_connect_timeout=5s",
                "vfs_timeout=10s"));
        Path users = Files.writeString(work.resolve("users"), "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":/\n");
        server = TestServer.builder().storage(storage)
                .set("local_enable", "YES")
                .set("write_enable", "YES")
                .users(UserStore.load(users))
                .start();
    }

    /** The provider and its settings exactly as Main finds and reads them. */
    private static Storage openThroughProvider(List<String> settings) throws Exception {
        List<StorageProvider> providers = StorageProvider.installed();
        ServerConfig config = ServerConfig.load(List.of(Source.overrides(settings)),
                providers.stream().flatMap(p -> p.settings().stream()).toList());
        return providers.stream().filter(p -> p.name().equals("vfs")).findFirst().orElseThrow()
                .open(config.backendSettings());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        sftp.close();
    }

    private FTPClient alice() throws IOException {
        FTPClient client = server.connect();
        assertTrue(client.login("alice", PASSWORD), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    @Test
    void uploadsAndDownloadsKeepTheirChecksum() throws Exception {
        FTPClient client = alice();
        byte[] big = random(6 * 1024 * 1024 + 123, 1);
        byte[] small = "hello over sftp\n".getBytes();
        assertTrue(client.storeFile("big.bin", new ByteArrayInputStream(big)), client.getReplyString());
        assertTrue(client.storeFile("small.txt", new ByteArrayInputStream(small)), client.getReplyString());
        assertEquals(sha256(big), sha256(Files.readAllBytes(served.resolve("big.bin"))), "bytes on the SFTP server");
        assertEquals(sha256(big), sha256(retrieve(client, "big.bin")));
        assertArrayEquals(small, retrieve(client, "small.txt"));
        assertEquals(String.valueOf(big.length), client.getSize("big.bin"));
        assertEquals(Set.of("big.bin", "small.txt"), onServer(served));
        client.logout();
    }

    @Test
    void directoriesRenameDeleteAndListing() throws Exception {
        FTPClient client = alice();
        assertTrue(client.makeDirectory("docs"), client.getReplyString());
        assertTrue(client.storeFile("docs/a.txt", new ByteArrayInputStream("a".getBytes())), client.getReplyString());
        assertTrue(client.storeFile("b.txt", new ByteArrayInputStream("bb".getBytes())), client.getReplyString());

        FTPFile[] root = client.listFiles();
        assertEquals(Set.of("docs", "b.txt"), Arrays.stream(root).map(FTPFile::getName).collect(Collectors.toSet()));
        assertTrue(Arrays.stream(root).filter(f -> f.getName().equals("docs")).findFirst().orElseThrow().isDirectory());
        assertEquals(2, Arrays.stream(root).filter(f -> f.getName().equals("b.txt")).findFirst().orElseThrow().getSize());

        assertTrue(client.rename("b.txt", "docs/c.txt"), client.getReplyString());
        assertTrue(client.rename("docs", "papers"), client.getReplyString());
        assertEquals(Set.of("a.txt", "c.txt"), Arrays.stream(client.listNames("papers")).map(n -> n.replaceFirst(".*/", ""))
                .collect(Collectors.toSet()));
        assertArrayEquals("bb".getBytes(), Files.readAllBytes(served.resolve("papers/c.txt")));

        assertFalse(client.removeDirectory("papers"), "not empty");
        assertEquals(550, client.getReplyCode());
        assertTrue(client.deleteFile("papers/a.txt"), client.getReplyString());
        assertTrue(client.deleteFile("papers/c.txt"), client.getReplyString());
        assertTrue(client.removeDirectory("papers"), client.getReplyString());
        assertEquals(Set.of(), onServer(served));
        assertFalse(client.deleteFile("missing"));
        assertEquals(550, client.getReplyCode());
        client.logout();
    }

    @Test
    void restartedDownloadsAndUploadsResumeAtTheOffset() throws Exception {
        FTPClient client = alice();
        assertTrue(client.hasFeature("REST", "STREAM"), "FEAT offers REST STREAM on SFTP (random reads)");
        byte[] data = random(1024 * 1024 + 7, 2);
        assertTrue(client.storeFile("f.bin", new ByteArrayInputStream(Arrays.copyOf(data, 300_000))), client.getReplyString());

        // REST + STOR: the client sends the rest of an interrupted upload
        client.setRestartOffset(300_000);
        assertTrue(client.storeFile("f.bin", new ByteArrayInputStream(Arrays.copyOfRange(data, 300_000, data.length))),
                client.getReplyString());
        assertEquals(sha256(data), sha256(Files.readAllBytes(served.resolve("f.bin"))));

        // REST + RETR: only the tail comes back
        client.setRestartOffset(700_001);
        assertArrayEquals(Arrays.copyOfRange(data, 700_001, data.length), retrieve(client, "f.bin"));
        client.setRestartOffset(0);
        client.logout();
    }

    @Test
    void anSftpServerGoingAwayDuringADownloadEndsItWith451AndTheSessionLivesOn() throws Exception {
        byte[] data = random(40 * 1024 * 1024, 3);
        Files.write(served.resolve("large.bin"), data);
        FTPClient client = alice();
        long received = 0;
        try (InputStream in = client.retrieveFileStream("large.bin")) {
            assertTrue(in != null, client.getReplyString());
            byte[] buffer = new byte[64 * 1024];
            received += in.readNBytes(buffer, 0, buffer.length);
            sftp.stop();
            int n;
            while ((n = readQuietly(in, buffer)) > 0) {
                received += n;
            }
        }
        assertFalse(client.completePendingCommand(), "a cut transfer must not end with 226");
        int code = client.getReplyCode();
        assertTrue(code == 451 || code == 426, "reply " + client.getReplyString());
        assertTrue(received < data.length, "received " + received);
        assertTrue(client.sendNoOp(), "the control connection still answers: " + client.getReplyString());
        assertEquals("/", client.printWorkingDirectory());

        // the storage reconnects once the SFTP server is back
        sftp.restart();
        assertEquals(String.valueOf(data.length), client.getSize("large.bin"));
        assertArrayEquals(Arrays.copyOf(data, 1000), Arrays.copyOf(retrieve(client, "large.bin"), 1000));
        client.logout();
    }

    @Test
    void anSftpServerGoingAwayDuringAnUploadLeavesNothingUnderTheTargetName() throws Exception {
        Files.writeString(served.resolve("keep.txt"), "old content");
        FTPClient client = alice();
        byte[] chunk = random(256 * 1024, 4);
        OutputStream out = client.storeFileStream("keep.txt");
        assertTrue(out != null, client.getReplyString());
        try {
            for (int i = 0; i < 8; i++) {
                out.write(chunk);
            }
            out.flush();
            sftp.stop();
            for (int i = 0; i < 200; i++) {
                out.write(chunk);
            }
            out.close();
        } catch (IOException expected) {
            // Ferry closed the data connection when the storage failed
            closeQuietly(out);
        }
        assertFalse(client.completePendingCommand(), "a failed upload must not end with 226");
        int code = client.getReplyCode();
        assertTrue(code == 451 || code == 426, "reply " + client.getReplyString());
        assertEquals("old content", Files.readString(served.resolve("keep.txt")), "the target keeps its old bytes");
        assertEquals(Set.of("keep.txt"), onServer(served), "no half-written file under a visible name");
        assertTrue(client.sendNoOp(), "the control connection still answers: " + client.getReplyString());
        client.logout();
    }

    private static int readQuietly(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    private static byte[] retrieve(FTPClient client, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile(name, out), client.getReplyString());
        return out.toByteArray();
    }

    /** Visible names below {@code dir} (relative), without hidden upload temp files. */
    private static Set<String> onServer(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString())
                    .filter(name -> !name.contains(".ferry-upload-"))
                    .collect(Collectors.toSet());
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
