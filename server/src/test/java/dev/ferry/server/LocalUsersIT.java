package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Local users: homes, the jail and its exceptions, per-user config, user lists, modes. */
@Timeout(60)
class LocalUsersIT {

    private static final byte[] DATA = "local data\n".getBytes(StandardCharsets.UTF_8);
    private static String hash;

    @TempDir
    Path dir;
    @TempDir
    Path conf;

    @BeforeAll
    static void hash() {
        hash = PasswordHash.sha512Crypt("secret");
    }

    private UserStore users(String... lines) throws Exception {
        return TestUsers.of(conf, lines);
    }

    private static FTPClient login(TestServer server, String user) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login(user, "secret"), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    private TestServer.Builder local(Backends.Backend backend) throws Exception {
        return backend.builder(dir).set("local_enable", "YES").set("delay_failed_login", "0");
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void localRootWithUserSubToken(Backends.Backend backend) throws Exception {
        try (TestServer server = local(backend).set("local_root", backend.configured(dir, "/home/$USER"))
                .set("user_sub_token", "$USER").users(users("alice:" + hash, "bob:" + hash)).start()) {
            server.put("/home/alice/a.txt", DATA);
            server.put("/home/bob/b.txt", DATA);
            FTPClient alice = login(server, "alice");
            assertEquals(213, alice.sendCommand("SIZE", "/a.txt"), alice.getReplyString());
            assertEquals(550, alice.sendCommand("SIZE", "/b.txt"), alice.getReplyString());
            alice.disconnect();
            FTPClient bob = login(server, "bob");
            assertEquals(213, bob.sendCommand("SIZE", "/b.txt"), bob.getReplyString());
            bob.disconnect();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void chrootListNamesTheExceptions(Backends.Backend backend) throws Exception {
        Path list = Files.writeString(conf.resolve("chroot_list"), "bob\n");
        UserStore users = users("alice:" + hash + ":" + backend.configured(dir, "/home/alice"),
                "bob:" + hash + ":" + backend.configured(dir, "/home/bob"));
        // default: everybody jailed except the listed ones
        try (TestServer server = local(backend).set("chroot_list_enable", "YES").set("chroot_list_file", list.toString())
                .users(users).start()) {
            server.put("/home/alice/a.txt", DATA);
            server.put("/home/bob/b.txt", DATA);
            FTPClient alice = login(server, "alice");
            assertEquals("/", alice.printWorkingDirectory());
            assertTrue(alice.changeWorkingDirectory("/.."));
            assertEquals("/", alice.printWorkingDirectory());
            alice.disconnect();
            FTPClient bob = login(server, "bob");
            assertEquals("/home/bob", bob.printWorkingDirectory(), "outside the jail, starting at home");
            assertEquals(213, bob.sendCommand("SIZE", "/home/alice/a.txt"), bob.getReplyString());
            bob.disconnect();
        }
        // chroot_local_user=NO: only the listed ones are jailed
        try (TestServer server = local(backend).set("chroot_local_user", "NO").set("chroot_list_enable", "YES")
                .set("chroot_list_file", list.toString()).users(users).start()) {
            server.put("/home/alice/a.txt", DATA);
            server.put("/home/bob/b.txt", DATA);
            FTPClient alice = login(server, "alice");
            assertEquals("/home/alice", alice.printWorkingDirectory());
            alice.disconnect();
            FTPClient bob = login(server, "bob");
            assertEquals("/", bob.printWorkingDirectory());
            assertEquals(213, bob.sendCommand("SIZE", "/b.txt"), bob.getReplyString());
            bob.disconnect();
        }
    }

    @Test
    void writeableChrootRefusedWhenNotAllowed() throws Exception {
        try (TestServer server = local(Backends.MEMORY).set("allow_writeable_chroot", "NO")
                .users(users("alice:" + hash + ":/home/alice")).start()) {
            server.put("/home/alice/a.txt", DATA);
            FTPClient reader = login(server, "alice"); // write_enable=NO: nothing to write in the jail
            reader.disconnect();
        }
        try (TestServer server = local(Backends.MEMORY).set("allow_writeable_chroot", "NO").set("write_enable", "YES")
                .users(users("alice:" + hash + ":/home/alice")).start()) {
            server.put("/home/alice/a.txt", DATA);
            FTPClient client = server.connect();
            assertEquals(331, client.sendCommand("USER", "alice"));
            assertEquals(500, client.sendCommand("PASS", "secret"), client.getReplyString());
            assertTrue(client.getReplyString().contains("writable root inside chroot()"), client.getReplyString());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void userConfigDirOverridesDirectivesForOneUser(Backends.Backend backend) throws Exception {
        Path userConf = Files.createDirectories(conf.resolve("users.d"));
        Files.writeString(userConf.resolve("alice"), """
                # alice may write, but not delete
                write_enable=YES
                cmds_denied=DELE
                local_root=%s
                """.formatted(backend.configured(dir, "/alice")));
        Files.writeString(userConf.resolve("broken"), "write_enable=MAYBE\n");
        try (TestServer server = local(backend).set("user_config_dir", userConf.toString())
                .users(users("alice:" + hash, "bob:" + hash, "broken:" + hash)).start()) {
            server.put("/alice/keep.txt", DATA);
            server.put("/bob.txt", DATA);
            FTPClient alice = login(server, "alice");
            assertEquals(213, alice.sendCommand("SIZE", "keep.txt"), alice.getReplyString());
            assertTrue(alice.storeFile("new.txt", new ByteArrayInputStream(DATA)), alice.getReplyString());
            assertEquals(550, alice.sendCommand("DELE", "keep.txt"), alice.getReplyString());
            assertEquals("550 Permission denied.", alice.getReplyString().strip());
            alice.disconnect();
            FTPClient bob = login(server, "bob");
            assertEquals(213, bob.sendCommand("SIZE", "bob.txt"), bob.getReplyString());
            assertFalse(bob.storeFile("new.txt", new ByteArrayInputStream(DATA)));
            assertEquals(550, bob.getReplyCode());
            bob.disconnect();
            FTPClient broken = server.connect();
            assertFalse(broken.login("broken", "secret"), "a broken per-user file refuses the login");
            assertEquals(530, broken.getReplyCode());
            broken.disconnect();
        }
    }

    @Test
    void userListDeniesAtUser() throws Exception {
        Path list = Files.writeString(conf.resolve("user_list"), "bob\n");
        UserStore users = users("alice:" + hash, "bob:" + hash);
        try (TestServer server = local(Backends.MEMORY).set("userlist_enable", "YES")
                .set("userlist_file", list.toString()).users(users).start()) {
            FTPClient client = server.connect();
            assertEquals(530, client.sendCommand("USER", "bob"));
            assertEquals("530 Permission denied.", client.getReplyString().strip());
            assertTrue(client.login("alice", "secret"), client.getReplyString());
            client.disconnect();
        }
        try (TestServer server = local(Backends.MEMORY).set("userlist_enable", "YES").set("userlist_deny", "NO")
                .set("userlist_file", list.toString()).users(users).start()) {
            FTPClient client = server.connect();
            assertEquals(530, client.sendCommand("USER", "alice"), client.getReplyString());
            assertTrue(client.login("bob", "secret"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void denyUsersFileAndRootAnswerOnlyAfterThePassword() throws Exception {
        Path deny = Files.writeString(conf.resolve("ftpusers"), "# system accounts\ndaemon\n");
        try (TestServer server = local(Backends.MEMORY).set("deny_users_file", deny.toString())
                .users(users("root:" + hash, "daemon:" + hash, "alice:" + hash)).start()) {
            for (String name : new String[] {"root", "daemon"}) {
                FTPClient client = server.connect();
                assertEquals(331, client.sendCommand("USER", name), "no probing at USER");
                assertEquals(530, client.sendCommand("PASS", "secret"));
                assertEquals("530 Login incorrect.", client.getReplyString().strip());
                client.disconnect();
            }
            login(server, "alice").disconnect();
        }
        try (TestServer server = local(Backends.MEMORY).users(users("root:" + hash)).start()) {
            FTPClient client = server.connect();
            assertFalse(client.login("root", "secret"), "root is refused even without a deny file");
            client.disconnect();
        }
    }

    @Test
    void localUmaskAndFileOpenModeOnLocalDisk() throws Exception {
        UserStore users = users("alice:" + hash + ":" + dir);
        try (TestServer server = local(Backends.LOCAL).set("write_enable", "YES").users(users).start()) {
            FTPClient client = login(server, "alice");
            assertTrue(client.storeFile("private.txt", new ByteArrayInputStream(DATA)), client.getReplyString());
            client.disconnect();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("private.txt"))));
        }
        try (TestServer server = local(Backends.LOCAL).set("write_enable", "YES").set("local_umask", "022")
                .set("file_open_mode", "0640").users(users).start()) {
            FTPClient client = login(server, "alice");
            assertTrue(client.storeFile("group.txt", new ByteArrayInputStream(DATA)), client.getReplyString());
            assertEquals(257, client.sendCommand("MKD", "d"));
            assertArrayEquals(DATA, Clients.retrieve(client, "group.txt"));
            client.disconnect();
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("group.txt"))));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("d"))));
        }
    }
}
