package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import dev.ferry.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** USER, PASS, ACCT, REIN, QUIT; anonymous and local users; the jail and write permission. */
@Timeout(60)
class LoginIT {

    /** PasswordHashTest's $2y$ line for "secret", as htpasswd -B writes it. */
    private static final String BCRYPT_SECRET = "$2y$05$iNX1IwTLPFovUfMCub0c1efz/r1qwFzUjvSsHrOKLtB5Gx982CqjO";
    private static final byte[] README = "alice's file\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static String sha512;

    @BeforeAll
    static void hash() {
        sha512 = PasswordHash.sha512Crypt("secret");
    }

    private static UserStore users() throws Exception {
        return TestUsers.of(dir, "alice:" + sha512 + ":/home/alice", "bob:" + BCRYPT_SECRET + ":/home/bob");
    }

    /** A server with local users alice (SHA-512) and bob (bcrypt), both homes filled. */
    private static TestServer.Builder localServer() throws Exception {
        return TestServer.builder().set("local_enable", "YES").users(users());
    }

    private static TestServer startWithHomes(TestServer.Builder builder) throws Exception {
        TestServer server = builder.start();
        server.put("/home/alice/readme.txt", README);
        server.put("/home/bob/bob.txt", new byte[] {1, 2, 3});
        server.put("/home/outside.txt", new byte[] {9});
        return server;
    }

    private static FTPClient login(TestServer server, String user) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login(user, "secret"), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "ftp", "FTP"})
    void anonymousLogsInWithEitherName(String name) throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.put("/pub/hello.txt", new byte[] {1});
            FTPClient client = server.connect();
            assertEquals(331, client.sendCommand("USER", name), client.getReplyString());
            assertEquals(230, client.sendCommand("PASS", "me@example.com"), client.getReplyString());
            assertEquals("/", client.printWorkingDirectory());
            assertTrue(client.changeWorkingDirectory("pub"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void localUserWithSha512HashLogsIn() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = server.connect();
            assertEquals(331, client.sendCommand("USER", "alice"), client.getReplyString());
            assertEquals(230, client.sendCommand("PASS", "secret"), client.getReplyString());
            assertEquals("230 Login successful.", client.getReplyString().strip());
            assertEquals(213, client.sendCommand("SIZE", "readme.txt"), client.getReplyString());
            assertEquals("213 " + README.length, client.getReplyString().strip());
            client.disconnect();
        }
    }

    @Test
    void localUserWithBcryptHashLogsIn() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = login(server, "bob");
            assertEquals("/", client.printWorkingDirectory());
            assertEquals(213, client.sendCommand("SIZE", "bob.txt"), client.getReplyString());
            assertEquals("213 3", client.getReplyString().strip());
            client.disconnect();
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = server.connect();
            assertEquals(331, client.sendCommand("USER", "alice"));
            assertEquals(530, client.sendCommand("PASS", "wrong"));
            assertEquals("530 Login incorrect.", client.getReplyString().strip());
            assertEquals(530, client.sendCommand("PWD"), "still not logged in");
            // and the right password works afterwards on the same connection
            assertTrue(client.login("alice", "secret"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void unknownUserIsRefusedOnlyAfterPass() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = server.connect();
            // 331 as for a real user: USER must not tell which names exist
            assertEquals(331, client.sendCommand("USER", "mallory"), client.getReplyString());
            assertEquals(530, client.sendCommand("PASS", "secret"));
            assertEquals("530 Login incorrect.", client.getReplyString().strip());
            client.disconnect();
        }
    }

    @Test
    void commandsBeforeLoginAnswer530() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.put("/file.txt", new byte[] {1});
            FTPClient client = server.connect();
            for (String[] command : new String[][] {{"PWD", null}, {"CWD", "/"}, {"CDUP", null}, {"LIST", null},
                    {"RETR", "file.txt"}, {"SIZE", "file.txt"}, {"MKD", "x"}, {"DELE", "file.txt"}, {"PASV", null},
                    {"TYPE", "I"}, {"STAT", null}, {"MLST", "file.txt"}}) {
                assertEquals(530, client.sendCommand(command[0], command[1]), command[0] + ": " + client.getReplyString());
            }
            assertEquals(530, client.sendCommand("PWD"));
            assertEquals("530 Please login with USER and PASS.", client.getReplyString().strip());
            // a few are allowed before login
            assertEquals(215, client.sendCommand("SYST"));
            assertEquals(200, client.sendCommand("NOOP"));
            assertEquals(211, client.sendCommand("FEAT"));
            client.disconnect();
        }
    }

    @Test
    void passBeforeUserIs503() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            FTPClient client = server.connect();
            assertEquals(503, client.sendCommand("PASS", "secret"), client.getReplyString());
            assertEquals("503 Login with USER first.", client.getReplyString().strip());
            client.disconnect();
        }
    }

    @Test
    void anonymousCanBeDisabled() throws Exception {
        try (TestServer server = startWithHomes(localServer().set("anonymous_enable", "NO"))) {
            FTPClient client = server.connect();
            assertEquals(530, client.sendCommand("USER", "anonymous"), client.getReplyString());
            assertEquals("530 This FTP server does not allow anonymous logins.", client.getReplyString().strip());
            assertEquals(503, client.sendCommand("PASS", "me@example.com"), "no login half-started");
            assertEquals(530, client.sendCommand("USER", "ftp"));
            assertTrue(client.login("alice", "secret"), "local users still log in: " + client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void localUsersCanBeDisabled() throws Exception {
        try (TestServer server = startWithHomes(localServer().set("local_enable", "NO"))) {
            FTPClient client = server.connect();
            assertEquals(530, client.sendCommand("USER", "alice"), client.getReplyString());
            assertEquals("530 This FTP server is anonymous only.", client.getReplyString().strip());
            assertEquals(503, client.sendCommand("PASS", "secret"));
            assertTrue(client.login("anonymous", "me@example.com"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void userWhileLoggedInIs530() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = server.anonymous();
            assertEquals(530, client.sendCommand("USER", "alice"), client.getReplyString());
            assertEquals("530 Can't change to another user.", client.getReplyString().strip());
            assertEquals("/", client.printWorkingDirectory(), "still the anonymous session");
            assertEquals(213, client.sendCommand("SIZE", "home/outside.txt"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void reinLogsOutAndAllowsAnotherLogin() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = server.anonymous();
            assertTrue(client.changeWorkingDirectory("home"));
            assertEquals(220, client.sendCommand("REIN"), client.getReplyString());
            assertEquals(530, client.sendCommand("PWD"), "REIN logs out");
            assertTrue(client.login("alice", "secret"), client.getReplyString());
            assertEquals("/", client.printWorkingDirectory());
            assertEquals(213, client.sendCommand("SIZE", "readme.txt"), "now in alice's home: " + client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void acctIsNotNeeded() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            FTPClient client = server.connect();
            assertEquals(202, client.sendCommand("ACCT", "billing"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void quitSays221AndTheServerCloses() throws Exception {
        try (TestServer server = TestServer.builder().start();
             RawClient client = RawClient.anonymous(server.port())) {
            RawClient.Reply reply = client.command("QUIT");
            assertEquals(221, reply.code(), reply.toString());
            assertTrue(client.closedByServer(5_000), "the server closes the control connection after 221");
        }
    }

    @Test
    void localUserIsJailedToHome() throws Exception {
        try (TestServer server = startWithHomes(localServer())) {
            FTPClient client = login(server, "alice");
            assertEquals("/", client.printWorkingDirectory());
            assertEquals(250, client.sendCommand("CWD", ".."), client.getReplyString());
            assertEquals("/", client.printWorkingDirectory());
            assertEquals(250, client.sendCommand("CDUP"), client.getReplyString());
            assertEquals("/", client.printWorkingDirectory());
            assertEquals(550, client.sendCommand("SIZE", "../outside.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("SIZE", "/home/outside.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("CWD", "/home"), client.getReplyString());
            String[] names = client.listNames();
            assertEquals(1, names.length, String.join(",", names));
            assertEquals("readme.txt", names[0]);
            client.disconnect();
        }
    }

    @Test
    void missingHomeRefusesLogin() throws Exception {
        try (TestServer server = TestServer.builder().set("local_enable", "YES")
                .users(TestUsers.of(dir, "carol:" + sha512 + ":/home/carol")).start()) {
            FTPClient client = server.connect();
            assertEquals(331, client.sendCommand("USER", "carol"));
            assertEquals(530, client.sendCommand("PASS", "secret"), client.getReplyString());
            assertEquals(530, client.sendCommand("PWD"));
            client.disconnect();
        }
    }

    @Test
    void localRootOverridesHome() throws Exception {
        try (TestServer server = startWithHomes(localServer().set("local_root", "/srv/ftp"))) {
            server.put("/srv/ftp/site.txt", new byte[] {1, 2});
            FTPClient client = login(server, "alice");
            assertEquals("/", client.printWorkingDirectory());
            assertEquals(213, client.sendCommand("SIZE", "site.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("SIZE", "readme.txt"), "not in the home of the users file");
            client.disconnect();
        }
    }

    @Test
    void writeEnableNoRefusesChanges() throws Exception {
        try (TestServer server = startWithHomes(localServer().set("write_enable", "NO"))) {
            FTPClient client = login(server, "alice");
            assertFalse(client.storeFile("new.txt", new ByteArrayInputStream(new byte[] {1})));
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(550, client.sendCommand("MKD", "dir"), client.getReplyString());
            assertEquals(550, client.sendCommand("DELE", "readme.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("RNFR", "readme.txt"), client.getReplyString());
            assertTrue(server.storage.stat(StoragePath.parse("/home/alice/readme.txt")).size() > 0);
            client.disconnect();
        }
    }

    @Test
    void writeEnableYesAllowsChanges() throws Exception {
        try (TestServer server = startWithHomes(localServer().set("write_enable", "YES"))) {
            FTPClient client = login(server, "alice");
            assertTrue(client.storeFile("new.txt", new ByteArrayInputStream(new byte[] {1})), client.getReplyString());
            assertEquals(257, client.sendCommand("MKD", "dir"), client.getReplyString());
            assertEquals(250, client.sendCommand("DELE", "readme.txt"), client.getReplyString());
            assertEquals(1, server.storage.stat(StoragePath.parse("/home/alice/new.txt")).size());
            client.disconnect();
        }
    }

    @Test
    void anonymousCannotWrite() throws Exception {
        try (TestServer server = TestServer.builder().set("write_enable", "YES").start()) {
            server.put("/pub/file.txt", new byte[] {1});
            FTPClient client = server.anonymous();
            assertFalse(client.storeFile("new.txt", new ByteArrayInputStream(new byte[] {1})));
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(550, client.sendCommand("MKD", "dir"), client.getReplyString());
            assertEquals(550, client.sendCommand("DELE", "pub/file.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("RMD", "pub"), client.getReplyString());
            client.disconnect();
        }
    }
}
