package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Anonymous logins: the anon_* switches, e-mail lists, ftp_username, no_anon_password. */
@Timeout(60)
class AnonymousAccessIT {

    private static final byte[] DATA = "anonymous data\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "other data\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    @TempDir
    Path conf;

    private static ByteArrayInputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void uploadsNeedWriteEnableAndAnonUploadEnable(Backends.Backend backend) throws Exception {
        try (TestServer server = backend.builder(dir).set("anon_upload_enable", "YES").start()) {
            FTPClient client = server.anonymous();
            assertFalse(client.storeFile("a.txt", in(DATA)));
            assertEquals("550 Permission denied.", client.getReplyString().strip());
            client.disconnect();
        }
        try (TestServer server = backend.builder(dir).set("write_enable", "YES").start()) {
            FTPClient client = server.anonymous();
            assertFalse(client.storeFile("a.txt", in(DATA)));
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(550, client.sendCommand("MKD", "d"), client.getReplyString());
            client.disconnect();
        }
        try (TestServer server = backend.builder(dir).set("write_enable", "YES").set("anon_upload_enable", "YES").start()) {
            server.put("/old.txt", OTHER);
            FTPClient client = server.anonymous();
            assertTrue(client.storeFile("new.txt", in(DATA)), client.getReplyString());
            // never over an existing file without anon_other_write_enable
            assertFalse(client.storeFile("old.txt", in(DATA)));
            assertEquals("553 Could not create file.", client.getReplyString().strip());
            assertFalse(client.appendFile("old.txt", in(DATA)));
            assertEquals(553, client.getReplyCode());
            assertEquals(550, client.sendCommand("DELE", "old.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("RNFR", "old.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("MKD", "d"), client.getReplyString());
            assertArrayEquals(OTHER, Clients.retrieve(client, "old.txt"));
            client.disconnect();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void mkdirAndOtherWritesHaveTheirOwnSwitches(Backends.Backend backend) throws Exception {
        try (TestServer server = backend.builder(dir).set("write_enable", "YES").set("anon_mkdir_write_enable", "YES")
                .set("anon_other_write_enable", "YES").start()) {
            server.put("/old.txt", OTHER);
            FTPClient client = server.anonymous();
            assertEquals(257, client.sendCommand("MKD", "made"), client.getReplyString());
            // other_write alone does not create files
            assertFalse(client.storeFile("new.txt", in(DATA)));
            assertEquals(553, client.getReplyCode(), client.getReplyString());
            assertTrue(client.storeFile("old.txt", in(DATA)), client.getReplyString());
            assertTrue(client.rename("old.txt", "renamed.txt"), client.getReplyString());
            assertTrue(client.deleteFile("renamed.txt"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void worldReadableOnlyOnLocalDisk() throws Exception {
        try (TestServer server = Backends.LOCAL.builder(dir).start()) {
            Files.write(dir.resolve("public.txt"), DATA);
            Files.setPosixFilePermissions(dir.resolve("public.txt"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.write(dir.resolve("private.txt"), DATA);
            Files.setPosixFilePermissions(dir.resolve("private.txt"), PosixFilePermissions.fromString("rw-r-----"));
            FTPClient client = server.anonymous();
            assertArrayEquals(DATA, Clients.retrieve(client, "public.txt"));
            assertFalse(client.retrieveFile("private.txt", new ByteArrayOutputStream()));
            assertEquals("550 Failed to open file.", client.getReplyString().strip());
            client.disconnect();
        }
        try (TestServer server = Backends.LOCAL.builder(dir).set("anon_world_readable_only", "NO").start()) {
            FTPClient client = server.anonymous();
            assertArrayEquals(DATA, Clients.retrieve(client, "private.txt"));
            client.disconnect();
        }
    }

    @Test
    void anonUmaskSetsTheModeOfUploadsAndDirectories() throws Exception {
        try (TestServer server = Backends.LOCAL.builder(dir).set("write_enable", "YES").set("anon_upload_enable", "YES")
                .set("anon_mkdir_write_enable", "YES").start()) {
            FTPClient client = server.anonymous();
            assertTrue(client.storeFile("default.txt", in(DATA)), client.getReplyString());
            assertEquals(257, client.sendCommand("MKD", "dir"));
            client.disconnect();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("default.txt"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dir"))));
        }
        try (TestServer server = Backends.LOCAL.builder(dir).set("write_enable", "YES").set("anon_upload_enable", "YES")
                .set("anon_umask", "022").start()) {
            FTPClient client = server.anonymous();
            assertTrue(client.storeFile("open.txt", in(DATA)), client.getReplyString());
            assertArrayEquals(DATA, Clients.retrieve(client, "open.txt"));
            client.disconnect();
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("open.txt"))));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void ftpUsernameAndNoAnonPassword(Backends.Backend backend) throws Exception {
        try (TestServer server = backend.builder(dir).set("ftp_username", "guest").set("no_anon_password", "YES").start()) {
            server.put("/f.txt", DATA);
            FTPClient client = server.connect();
            assertEquals(230, client.sendCommand("USER", "guest"), client.getReplyString());
            client.enterLocalPassiveMode();
            FTPFile[] files = client.listFiles();
            assertEquals(1, files.length);
            assertEquals("guest", files[0].getUser());
            client.disconnect();
            client = server.connect();
            assertEquals(230, client.sendCommand("USER", "anonymous"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void bannedEmailsAndTheSecureEmailList() throws Exception {
        Path banned = Files.writeString(conf.resolve("banned"), "# spammers\nbad@example.com\n");
        Path allowed = Files.writeString(conf.resolve("allowed"), "friend@example.com\n");
        try (TestServer server = TestServer.builder().set("deny_email_enable", "YES").set("delay_failed_login", "0")
                .set("banned_email_file", banned.toString()).start()) {
            FTPClient client = server.connect();
            assertFalse(client.login("anonymous", "bad@example.com"));
            assertEquals("530 Login incorrect.", client.getReplyString().strip());
            assertTrue(client.login("anonymous", "good@example.com"), client.getReplyString());
            client.disconnect();
        }
        try (TestServer server = TestServer.builder().set("secure_email_list_enable", "YES").set("delay_failed_login", "0")
                .set("email_password_file", allowed.toString()).start()) {
            FTPClient client = server.connect();
            assertFalse(client.login("ftp", "stranger@example.com"));
            assertEquals(530, client.getReplyCode());
            assertTrue(client.login("ftp", "friend@example.com"), client.getReplyString());
            client.disconnect();
        }
    }
}
