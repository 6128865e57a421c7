package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * vsftpd's resolve_tilde: {@code ~} is where the session started; with tilde_user_enable,
 * {@code ~name} is that user's home, inside the jail only.
 */
@Timeout(60)
class TildeIT {

    @TempDir
    Path disk;
    @TempDir
    Path dir;

    private TestServer.Builder server() throws Exception {
        Files.writeString(Files.createDirectories(disk.resolve("home/alice")).resolve("a.txt"), "a");
        Files.writeString(Files.createDirectories(disk.resolve("home/bob")).resolve("b.txt"), "bb");
        Files.createDirectories(disk.resolve("~bob"));
        String hash = PasswordHash.sha512Crypt("pw");
        return TestServer.builder().local(disk).set("local_enable", "YES")
                .users(TestUsers.of(dir, "alice:" + hash + ":" + disk.resolve("home/alice"),
                        "bob:" + hash + ":" + disk.resolve("home/bob")));
    }

    private static FTPClient alice(TestServer server) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login("alice", "pw"), client.getReplyString());
        return client;
    }

    @Test
    void tildeIsTheStartingDirectoryAndTildeNameAnotherUsersHome() throws Exception {
        try (TestServer server = server().set("chroot_local_user", "NO").set("tilde_user_enable", "YES").start()) {
            FTPClient alice = alice(server);
            assertTrue(alice.changeWorkingDirectory("/"));
            assertEquals(213, alice.sendCommand("SIZE", "~/a.txt"), alice.getReplyString());
            assertTrue(alice.changeWorkingDirectory("~"), alice.getReplyString());
            assertEquals("/home/alice", alice.printWorkingDirectory());
            assertEquals(213, alice.sendCommand("SIZE", "~bob/b.txt"), alice.getReplyString());
            assertEquals("213 2", alice.getReplyString().strip());
            assertTrue(alice.changeWorkingDirectory("~bob"), alice.getReplyString());
            assertEquals("/home/bob", alice.printWorkingDirectory());
            // a name that is no user stays literal text: here a directory really named so
            assertTrue(alice.changeWorkingDirectory("/"));
            assertFalse(alice.changeWorkingDirectory("~nosuchuser"));
            alice.disconnect();
        }
    }

    @Test
    void withoutTildeUserEnableTildeNameIsLiteral() throws Exception {
        try (TestServer server = server().set("chroot_local_user", "NO").start()) {
            FTPClient alice = alice(server);
            assertTrue(alice.changeWorkingDirectory("/"));
            assertTrue(alice.changeWorkingDirectory("~bob"), alice.getReplyString());
            assertEquals("/~bob", alice.printWorkingDirectory());
            assertEquals(550, alice.sendCommand("SIZE", "/~bob/b.txt"), alice.getReplyString());
            alice.disconnect();
        }
    }

    @Test
    void aJailedUserReachesNoOtherHome() throws Exception {
        try (TestServer server = server().set("tilde_user_enable", "YES").start()) {
            FTPClient alice = alice(server);
            assertTrue(alice.changeWorkingDirectory("~"), alice.getReplyString());
            assertEquals("/", alice.printWorkingDirectory());
            assertFalse(alice.changeWorkingDirectory("~bob"));
            assertEquals(550, alice.sendCommand("SIZE", "~bob/b.txt"), alice.getReplyString());
            alice.disconnect();
        }
    }
}
