package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Ferry on the S3 backend (opened through its provider, as Main does) against an in-process
 * S3Proxy, driven by Commons Net: the bytes arrive intact, failed uploads leave nothing behind,
 * resume sends only the tail, and prefixes behave as directories.
 */
@Timeout(120)
class S3BackendIT {

    private static final int PART = 5 * 1024 * 1024;
    private static final String BUCKET = "ferry-it";

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withBlobStoreProvider("transient")
            .withCredentials("access", "secret").build();

    private static final String PASSWORD = "s3 pass";

    @TempDir
    Path disk;
    private S3Client raw;
    private TestServer server;
    private FTPClient ftp;

    @BeforeEach
    void start() throws Exception {
        raw = S3Client.builder().endpointOverride(S3.getUri()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .build();
        raw.createBucket(b -> b.bucket(BUCKET));
        Storage storage = openS3(Map.of(
                "s3_bucket", BUCKET,
                "s3_prefix", "srv/",
                "s3_endpoint", S3.getUri().toString(),
                "s3_path_style", "YES",
                "s3_access_key_id", "access",
                "s3_secret_access_key", "secret",
                "s3_part_size", String.valueOf(PART)));
        Path users = Files.writeString(disk.resolve("users"), "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":/\n");
        server = TestServer.builder().storage(storage)
                .set("local_enable", "YES")
                .set("write_enable", "YES")
                .users(UserStore.load(users))
                .start();
        ftp = login(new FTPClient());
    }

    @AfterEach
    void stop() throws IOException {
        if (ftp.isConnected()) {
            ftp.disconnect();
        }
        server.close();
        raw.close();
    }

    /** Opens the s3 provider found by ServiceLoader with its defaults plus {@code values}. */
    private static Storage openS3(Map<String, String> values) throws Exception {
        StorageProvider provider = StorageProvider.installed().stream().filter(p -> p.name().equals("s3"))
                .findFirst().orElseThrow();
        Map<String, String> all = new HashMap<>();
        provider.settings().forEach(s -> all.put(s.name(), s.defaultValue()));
        all.putAll(values);
        return provider.open(new StorageProvider.Settings() {
            @Override
            public String string(String name) {
                return all.get(name);
            }

            @Override
            public boolean bool(String name) {
                return all.get(name).equalsIgnoreCase("YES");
            }

            @Override
            public long integer(String name) {
                return Long.parseLong(all.get(name));
            }
        });
    }

    // ---- integrity ----

    @ParameterizedTest
    @ValueSource(ints = {0, 1, PART - 1, PART + 1, 50 * 1024 * 1024})
    void uploadsAndDownloadsKeepEveryByte(int size) throws Exception {
        byte[] data = random(size);
        assertTrue(ftp.storeFile("f.bin", new ByteArrayInputStream(data)), ftp.getReplyString());
        assertEquals(String.valueOf(size), ftp.getSize("f.bin"));
        assertEquals(sha256(data), downloadSha256("f.bin"));
        assertEquals(size, raw.headObject(b -> b.bucket(BUCKET).key("srv/f.bin")).contentLength());
        assertEquals(0, pendingUploads());
    }

    // ---- failures leave nothing ----

    @Test
    void aborMidUploadLeavesNoObjectAndNoPendingUpload() throws Exception {
        OutputStream out = ftp.storeFileStream("aborted.bin");
        out.write(random(2 * PART + 100));
        out.flush();
        assertTrue(ftp.abort() || FTPReply.isNegativeTransient(ftp.getReplyCode()), ftp.getReplyString());
        out.close();
        awaitNothingLeft("srv/aborted.bin");
        assertTrue(ftp.sendNoOp(), "the session survives ABOR");
    }

    @Test
    void aKilledClientMidUploadLeavesNoObjectAndNoPendingUpload() throws Exception {
        KillableClient killable = login(new KillableClient());
        Socket data = killable.openData("STOR", "killed.bin");
        data.getOutputStream().write(random(2 * PART + 100));
        data.getOutputStream().flush();
        // what the peer sees of a process killed with unread data in its socket: a reset, not EOF
        data.setSoLinger(true, 0);
        data.close();
        killable.kill();
        awaitNothingLeft("srv/killed.bin");
    }

    // ---- resume ----

    @Test
    void restStorAtTheCurrentSizeResumesAndSendsOnlyTheTail() throws Exception {
        byte[] data = random(PART + PART / 2);
        int first = PART + 1000;
        assertTrue(ftp.storeFile("r.bin", new ByteArrayInputStream(data, 0, first)));
        ftp.setRestartOffset(first);
        assertTrue(ftp.storeFile("r.bin", new ByteArrayInputStream(data, first, data.length - first)),
                ftp.getReplyString());
        assertEquals(sha256(data), downloadSha256("r.bin"));
        // one copy part for the kept bytes, one uploaded part for the tail
        assertTrue(etag("srv/r.bin").endsWith("-2"), etag("srv/r.bin"));
        assertEquals(0, pendingUploads());
    }

    @Test
    void appeResumesAndSendsOnlyTheTail() throws Exception {
        byte[] data = random(2 * PART + 77);
        int first = PART + 5;
        assertTrue(ftp.storeFile("a.bin", new ByteArrayInputStream(data, 0, first)));
        assertTrue(ftp.appendFile("a.bin", new ByteArrayInputStream(data, first, data.length - first)),
                ftp.getReplyString());
        assertEquals(sha256(data), downloadSha256("a.bin"));
        // one copy part for the kept bytes, two uploaded parts for the PART + 72 new ones
        assertTrue(etag("srv/a.bin").endsWith("-3"), etag("srv/a.bin"));
    }

    @Test
    void appeToASmallFileRewritesIt() throws Exception {
        assertTrue(ftp.storeFile("s.txt", new ByteArrayInputStream("hello ".getBytes())));
        assertTrue(ftp.appendFile("s.txt", new ByteArrayInputStream("world".getBytes())));
        assertEquals(sha256("hello world".getBytes()), downloadSha256("s.txt"));
    }

    @Test
    void restBeyondTheEndIsRefused() throws Exception {
        assertTrue(ftp.storeFile("short.txt", new ByteArrayInputStream("12345".getBytes())));
        ftp.setRestartOffset(99);
        assertFalse(ftp.storeFile("short.txt", new ByteArrayInputStream("x".getBytes())));
        assertTrue(ftp.getReplyCode() >= 400, ftp.getReplyString());
        ftp.setRestartOffset(0);
        assertEquals(sha256("12345".getBytes()), downloadSha256("short.txt"));
    }

    @Test
    void restRetrReadsARange() throws Exception {
        byte[] data = random(100_000);
        assertTrue(ftp.storeFile("g.bin", new ByteArrayInputStream(data)));
        ftp.setRestartOffset(70_000);
        assertEquals(sha256(Arrays.copyOfRange(data, 70_000, data.length)), downloadSha256("g.bin"));
    }

    // ---- listing ----

    @Test
    @Timeout(180)
    void listingOfManyKeys() throws Exception {
        int count = 3_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "srv/many/k" + i;
                puts.add(pool.submit(() -> raw.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.empty())));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
        String[] names = ftp.listNames("/many");
        assertEquals(count, names.length);
        FTPFile[] entries = ftp.mlistDir("/many");
        assertEquals(count, entries.length);
        assertTrue(Arrays.stream(entries).allMatch(FTPFile::isFile));
    }

    // ---- rename ----

    @Test
    void renameOfAMultipartObject() throws Exception {
        byte[] data = random(2 * PART + 3);
        assertTrue(ftp.storeFile("big.bin", new ByteArrayInputStream(data)));
        assertTrue(etag("srv/big.bin").endsWith("-3"), etag("srv/big.bin"));
        assertTrue(ftp.rename("big.bin", "moved.bin"), ftp.getReplyString());
        assertEquals(sha256(data), downloadSha256("moved.bin"));
        assertFalse(exists("srv/big.bin"));
    }

    @Test
    void directoryRenameIsRefusedByDefault() throws Exception {
        assertTrue(ftp.makeDirectory("d"));
        assertFalse(ftp.rename("d", "e"));
        assertTrue(ftp.getReplyCode() >= 500, ftp.getReplyString());
        assertTrue(server.storage.capabilities().contains(Capability.RENAME));
    }

    // ---- directories ----

    @Test
    void mkdRmdCwdOnPrefixes() throws Exception {
        raw.putObject(b -> b.bucket(BUCKET).key("srv/pre/fix/file.txt"), RequestBody.fromString("x"));
        assertTrue(ftp.changeWorkingDirectory("/pre/fix"), ftp.getReplyString());
        assertEquals("/pre/fix", ftp.printWorkingDirectory());
        assertArrayEquals(new String[] {"file.txt"}, names(ftp.listFiles()));
        FTPFile fix = Arrays.stream(ftp.mlistDir("/pre")).filter(f -> f.getName().equals("fix")).findFirst()
                .orElseThrow();
        assertTrue(fix.isDirectory());
        assertTrue(fix.getTimestamp().get(java.util.Calendar.YEAR) > 2000, "not 1970");

        assertTrue(ftp.makeDirectory("/newdir"), ftp.getReplyString());
        assertTrue(exists("srv/newdir/"), "MKD writes a marker");
        assertTrue(ftp.changeWorkingDirectory("/newdir"));
        assertFalse(ftp.removeDirectory("/pre"), "RMD of a non-empty prefix");
        assertEquals(550, ftp.getReplyCode());
        assertTrue(ftp.removeDirectory("/newdir"), ftp.getReplyString());
        assertFalse(exists("srv/newdir/"));
        assertFalse(ftp.changeWorkingDirectory("/newdir"));
    }

    // ---- helpers ----

    private <C extends FTPClient> C login(C client) throws IOException {
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", server.port());
        client.setSoTimeout(20_000);
        if (!client.login("alice", PASSWORD)) {
            throw new IOException("login failed: " + client.getReplyString());
        }
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    /** Exposes the data connection so a test can reset it like a killed process. */
    static final class KillableClient extends FTPClient {
        Socket openData(String command, String argument) throws IOException {
            Socket socket = _openDataConnection_(command, argument);
            if (socket == null) {
                throw new IOException(command + " refused: " + getReplyString());
            }
            return socket;
        }

        void kill() throws IOException {
            _socket_.setSoLinger(true, 0);
            _socket_.close();
        }
    }

    /**
     * The server notices the cut on its own thread, maybe after its first part is on the way, so
     * "nothing left" must hold for a whole second, not just at one glance.
     */
    private void awaitNothingLeft(String key) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        long cleanSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - cleanSince < 1_000_000_000L) {
            if (pendingUploads() > 0 || exists(key)) {
                cleanSince = System.nanoTime();
            }
            Thread.sleep(50);
        }
        assertEquals(0, pendingUploads(), "a multipart upload was left behind");
        assertFalse(exists(key), "an object appeared");
    }

    private int pendingUploads() {
        return raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }

    private boolean exists(String key) {
        try {
            raw.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private String etag(String key) {
        return raw.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
    }

    private String downloadSha256(String name) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = ftp.retrieveFileStream(name)) {
            if (in == null) {
                throw new IOException("RETR refused: " + ftp.getReplyString());
            }
            DigestInputStream digesting = new DigestInputStream(in, digest);
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        assertTrue(ftp.completePendingCommand(), ftp.getReplyString());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String[] names(FTPFile[] files) {
        return Arrays.stream(files).map(FTPFile::getName).sorted().toArray(String[]::new);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
