package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing outside a session's root can be reached: anonymous is rooted at /pub and the storage holds
 * /secret.txt and /etc/passwd beside it. Also NUL and CR in names, which StoragePath refuses.
 */
@Timeout(60)
class PathTraversalIT {

    private static final String SECRET = "top secret";

    @TempDir
    static Path dir;
    static TestServer server;
    FTPClient client;

    @BeforeAll
    static void start() throws Exception {
        MemoryStorage storage = new MemoryStorage();
        storage.createDirectory(StoragePath.parse("/pub"));
        server = TestServer.builder().set("anon_root", "/pub").storage(storage).start();
        server.put("/secret.txt", SECRET.getBytes(StandardCharsets.UTF_8));
        server.put("/etc/passwd", SECRET.getBytes(StandardCharsets.UTF_8));
        server.put("/pub/ok.txt", "fine".getBytes(StandardCharsets.UTF_8));
        server.put("/pub/dir/inner.txt", new byte[] {1});
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void login() throws Exception {
        client = server.anonymous();
    }

    @AfterEach
    void logout() throws Exception {
        client.disconnect();
    }

    private String reply() {
        return client.getReplyString().strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../..", "/../..", "..", "dir/../../..", "/", "//..//..", "./../."})
    void cwdUpwardsStopsAtTheRoot(String path) throws Exception {
        assertEquals(250, client.sendCommand("CWD", path), reply());
        assertEquals("/", client.printWorkingDirectory());
        String[] names = client.listNames();
        assertTrue(Arrays.asList(names).contains("ok.txt"), Arrays.toString(names));
        assertFalse(Arrays.asList(names).contains("secret.txt"), Arrays.toString(names));
    }

    @Test
    void backslashesAndPercentEscapesAreLiteralNames() throws Exception {
        assertEquals(550, client.sendCommand("CWD", "..\\.."), reply());
        assertEquals(550, client.sendCommand("CWD", "%2e%2e"), reply());
        assertEquals(550, client.sendCommand("SIZE", "%2e%2e/%2e%2e/secret.txt"), reply());
        assertFalse(client.retrieveFile("%2e%2e/%2e%2e/secret", new ByteArrayOutputStream()));
        assertEquals(550, client.getReplyCode(), reply());
        assertFalse(client.retrieveFile("..\\secret.txt", new ByteArrayOutputStream()));
        assertEquals(550, client.getReplyCode(), reply());
        assertEquals("/", client.printWorkingDirectory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret.txt", "/../secret.txt", "../../secret.txt", "/secret.txt", "..//secret.txt",
        "dir/../../secret.txt", "../../etc/passwd", "/etc/passwd"})
    void filesOutsideTheRootCannotBeReadOrStatted(String path) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFalse(client.retrieveFile(path, out), reply());
        assertEquals(550, client.getReplyCode(), reply());
        assertEquals(0, out.size());
        assertEquals(550, client.sendCommand("SIZE", path), reply());
        assertEquals(550, client.sendCommand("MDTM", path), reply());
        assertEquals(550, client.sendCommand("MLST", path), reply());
        assertEquals(550, client.sendCommand("STAT", path), reply());
        assertEquals(0, client.listFiles(path).length, "LIST " + path);
        String[] names = client.listNames(path);
        assertTrue(names == null || names.length == 0, "NLST " + path + ": " + Arrays.toString(names));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../..", "/", "/..", "../*", "/../*.txt"})
    void listingsAboveTheRootShowTheRoot(String path) throws Exception {
        List<String> seen = new ArrayList<>();
        for (FTPFile file : client.listFiles(path)) {
            seen.add(file.getName());
        }
        assertFalse(seen.stream().anyMatch(name -> name.contains("secret") || name.contains("etc")), "LIST " + seen);
        seen.clear();
        String[] names = client.listNames(path);
        seen.addAll(Arrays.asList(names == null ? new String[0] : names));
        assertTrue(seen.stream().anyMatch(name -> name.endsWith("ok.txt")), "NLST " + path + ": " + seen);
        assertFalse(seen.stream().anyMatch(name -> name.contains("secret") || name.contains("etc")), "NLST " + seen);
        assertTrue(client.sendCommand("STAT", path) < 400, reply());
        assertFalse(reply().contains("secret"), reply());
        assertTrue(reply().contains("ok.txt"), reply());
    }

    @Test
    void mlsdAboveTheRootShowsTheRoot() throws Exception {
        FTPFile[] files = client.mlistDir("../..");
        List<String> names = Arrays.stream(files).map(FTPFile::getName).toList();
        assertTrue(names.contains("ok.txt"), names.toString());
        assertFalse(names.contains("secret.txt"), names.toString());
        assertEquals(250, client.sendCommand("MLST", "../.."), reply());
        assertTrue(client.getReplyStrings()[1].endsWith(" /"), reply());
    }

    @Test
    void writesOfAJailedUserLandInsideTheHome() throws Exception {
        try (TestServer jailed = TestServer.builder().set("local_enable", "YES").set("write_enable", "YES")
                .users(TestUsers.of(dir, "alice:" + dev.ferry.server.auth.PasswordHash.sha512Crypt("secret")
                        + ":/home/alice")).start()) {
            jailed.put("/home/alice/in.txt", new byte[] {1});
            jailed.put("/home/outside.txt", new byte[] {2});
            FTPClient alice = jailed.connect();
            assertTrue(alice.login("alice", "secret"), alice.getReplyString());
            alice.enterLocalPassiveMode();
            assertEquals(550, alice.sendCommand("DELE", "../outside.txt"), alice.getReplyString());
            assertEquals(550, alice.sendCommand("DELE", "/home/outside.txt"), alice.getReplyString());
            assertEquals(350, alice.sendCommand("RNFR", "in.txt"), alice.getReplyString());
            assertEquals(250, alice.sendCommand("RNTO", "../../moved.txt"), alice.getReplyString());
            assertEquals(257, alice.sendCommand("MKD", "/../../made"), alice.getReplyString());
            assertEquals("257 \"/made\" created", alice.getReplyString().strip());
            assertTrue(alice.storeFile("../../stored.txt", new ByteArrayInputStream(new byte[] {3})),
                    alice.getReplyString());
            assertEquals(550, alice.sendCommand("RNFR", "../outside.txt"), alice.getReplyString());
            alice.disconnect();
            List<String> names = new ArrayList<>();
            try (Listing listing = jailed.storage.list(StoragePath.parse("/home"))) {
                for (FileInfo info : listing) {
                    names.add(info.name());
                }
            }
            assertEquals(List.of("alice", "outside.txt"), names.stream().sorted().toList());
            names.clear();
            try (Listing listing = jailed.storage.list(StoragePath.parse("/home/alice"))) {
                for (FileInfo info : listing) {
                    names.add(info.name());
                }
            }
            assertEquals(List.of("made", "moved.txt", "stored.txt"), names.stream().sorted().toList());
            assertEquals(1, jailed.storage.stat(StoragePath.parse("/home/outside.txt")).size());
        }
    }

    @Test
    void nulInAPathIsAnErrorAndTheSessionGoesOn() throws Exception {
        try (RawClient raw = RawClient.anonymous(server.port())) {
            for (String verb : List.of("CWD", "SIZE", "MDTM", "MLST", "STAT", "RETR", "DELE", "MKD", "RNFR")) {
                RawClient.Reply reply = raw.command(verb + " ok.txt\0../../secret.txt");
                assertTrue(reply.code() >= 500 && reply.code() < 600, verb + ": " + reply);
            }
            assertEquals(500, raw.command("NO\0OP").code());
            assertEquals(200, raw.command("NOOP").code(), "the connection is still usable");
            assertEquals(257, raw.command("PWD").code());
        }
    }

    @Test
    void namesWithCarriageReturnOrLineFeedCannotBeCreated() throws Exception {
        try (TestServer writable = TestUsers.writable(dir).start();
             RawClient raw = RawClient.connect(writable.port())) {
            writable.put("/ok.txt", new byte[] {1});
            raw.command("USER writer");
            assertEquals(230, raw.command("PASS secret").code());
            // a bare CR inside the line, and RFC 959's CR NUL for a CR in a name
            for (String name : List.of("evil\rname", "evil\r\0name", "\r", "evil\r")) {
                RawClient.Reply mkd = raw.command("MKD " + name);
                assertTrue(mkd.code() == 550 || mkd.code() == 553, "MKD: " + mkd);
                assertEquals(350, raw.command("RNFR ok.txt").code());
                RawClient.Reply rnto = raw.command("RNTO " + name);
                assertTrue(rnto.code() == 550 || rnto.code() == 553, "RNTO: " + rnto);
            }
            FTPClient writer = TestUsers.writer(writable);
            assertFalse(writer.storeFile("a\rb.txt", new ByteArrayInputStream(new byte[] {1})));
            assertTrue(writer.getReplyCode() == 553 || writer.getReplyCode() == 550, writer.getReplyString());
            writer.disconnect();
            List<String> names = new ArrayList<>();
            try (Listing listing = writable.storage.list(StoragePath.ROOT)) {
                for (FileInfo info : listing) {
                    names.add(info.name());
                }
            }
            assertEquals(List.of("ok.txt"), names);
            assertEquals(200, raw.command("NOOP").code());
        }
    }
}
