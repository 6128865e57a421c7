package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * vsftpd's virtual users (guest_enable): every non-anonymous login, whatever source accepted it,
 * becomes the guest_username account, with a home per virtual user from local_root and
 * user_sub_token, anonymous rights unless virtual_use_local_privs, and user_config_dir files read
 * by the virtual name. Real clients, local disk.
 */
@Timeout(120)
class GuestUsersIT {

    private static final String PASSWORD = "virtual-Secret";
    private static final byte[] ALICE = "alice's own file\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BOB = "bob's own file\n".getBytes(StandardCharsets.UTF_8);
    /** An account every Linux system has; with local_root set only its existence matters. */
    private static final String GUEST_ACCOUNT = "nobody";

    @TempDir
    Path disk;
    @TempDir
    Path dir;

    /** Virtual users alice and bob in a users file, each with a directory below virtual/ holding one file. */
    private TestServer.Builder guests() throws Exception {
        Files.write(Files.createDirectories(disk.resolve("virtual/alice")).resolve("a.txt"), ALICE);
        Files.write(Files.createDirectories(disk.resolve("virtual/bob")).resolve("b.txt"), BOB);
        String hash = PasswordHash.sha512Crypt(PASSWORD);
        // the homes the users file gives are not used: a guest's home is the guest account's
        return TestServer.builder().local(disk).set("local_enable", "YES").set("guest_enable", "YES")
                .set("guest_username", GUEST_ACCOUNT).set("user_sub_token", "$USER")
                .set("local_root", disk.resolve("virtual/$USER").toString()).set("write_enable", "YES")
                .set("anon_umask", "077").set("local_umask", "022").set("delay_failed_login", "0")
                .users(TestUsers.of(dir, "alice:" + hash + ":" + disk, "bob:" + hash + ":" + disk));
    }

    private static FTPClient login(TestServer server, String name) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login(name, PASSWORD), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    private static List<String> names(FTPClient client) throws Exception {
        return Arrays.stream(client.listFiles()).map(FTPFile::getName).sorted().toList();
    }

    @Test
    void aVirtualUserIsJailedInItsOwnHomeWithAnonymousRights() throws Exception {
        try (TestServer server = guests().start()) {
            FTPClient alice = login(server, "alice");
            assertEquals("/", alice.printWorkingDirectory());
            assertEquals(List.of("a.txt"), names(alice));
            assertArrayEquals(ALICE, Clients.retrieve(alice, "a.txt"));
            // the jail: bob's directory is out of reach
            alice.changeWorkingDirectory("..");
            assertEquals("/", alice.printWorkingDirectory());
            assertFalse(alice.changeWorkingDirectory("/virtual/bob"));
            assertEquals(550, alice.sendCommand("SIZE", "../bob/b.txt"), alice.getReplyString());
            // write_enable=YES, but a guest has anonymous rights: anon_upload_enable is NO
            assertFalse(alice.storeFile("up.txt", new ByteArrayInputStream(ALICE)));
            assertEquals(550, alice.getReplyCode(), alice.getReplyString());
            assertEquals(550, alice.sendCommand("MKD", "new"), alice.getReplyString());
            assertEquals(550, alice.sendCommand("DELE", "a.txt"), alice.getReplyString());
            assertTrue(Files.notExists(disk.resolve("virtual/alice/up.txt")));
            assertTrue(Files.exists(disk.resolve("virtual/alice/a.txt")));
            alice.disconnect();

            FTPClient bob = login(server, "bob");
            assertEquals(List.of("b.txt"), names(bob));
            bob.disconnect();

            // a wrong password is still refused: the mapping happens only after the source said yes
            FTPClient wrong = server.connect();
            assertFalse(wrong.login("alice", "wrong"));
            assertEquals(530, wrong.getReplyCode(), wrong.getReplyString());
            wrong.disconnect();
        }
    }

    @Test
    void anonymousSwitchesDecideWhatAGuestMayWrite() throws Exception {
        try (TestServer server = guests().set("anon_upload_enable", "YES").set("allow_writeable_chroot", "YES")
                .start()) {
            FTPClient alice = login(server, "alice");
            assertTrue(alice.storeFile("up.txt", new ByteArrayInputStream(BOB)), alice.getReplyString());
            Path uploaded = disk.resolve("virtual/alice/up.txt");
            assertArrayEquals(BOB, Files.readAllBytes(uploaded));
            // anon_umask (077), not local_umask (022)
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploaded)));
            // anon_mkdir_write_enable and anon_other_write_enable are NO
            assertEquals(550, alice.sendCommand("MKD", "new"), alice.getReplyString());
            assertEquals(550, alice.sendCommand("DELE", "up.txt"), alice.getReplyString());
            assertTrue(Files.exists(uploaded));
            alice.disconnect();
        }
    }

    @Test
    void virtualUseLocalPrivsGivesLocalRights() throws Exception {
        try (TestServer server = guests().set("virtual_use_local_privs", "YES").set("chroot_local_user", "NO").start()) {
            FTPClient alice = login(server, "alice");
            // local rights include chroot_local_user (NO here): the home is the start, not a jail
            assertEquals("/virtual/alice", alice.printWorkingDirectory());
            assertTrue(alice.storeFile("up.txt", new ByteArrayInputStream(BOB)), alice.getReplyString());
            Path uploaded = disk.resolve("virtual/alice/up.txt");
            assertArrayEquals(BOB, Files.readAllBytes(uploaded));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploaded)));
            assertTrue(alice.makeDirectory("new"), alice.getReplyString());
            assertTrue(alice.deleteFile("up.txt"), alice.getReplyString());
            assertTrue(Files.isDirectory(disk.resolve("virtual/alice/new")));
            alice.disconnect();
        }
        try (TestServer server = guests().set("virtual_use_local_privs", "YES").set("chroot_local_user", "YES")
                .set("allow_writeable_chroot", "YES").start()) {
            FTPClient alice = login(server, "alice");
            assertEquals("/", alice.printWorkingDirectory());
            assertEquals(List.of("a.txt", "new"), names(alice));
            alice.disconnect();
        }
    }

    @Test
    void userConfigDirFilesAreReadByTheVirtualName() throws Exception {
        Path special = Files.createDirectories(disk.resolve("upload/alice"));
        Files.write(special.resolve("s.txt"), ALICE);
        Path userConf = Files.createDirectories(dir.resolve("vsftpd_user_conf"));
        // the usual virtual-users setup: one file per virtual user with its root and rights;
        // user_sub_token works in the file's local_root too
        Files.writeString(userConf.resolve("alice"), "local_root=" + disk.resolve("upload") + "/$USER\n"
                + "anon_upload_enable=YES\nallow_writeable_chroot=YES\n");
        try (TestServer server = guests().set("user_config_dir", userConf.toString()).start()) {
            FTPClient alice = login(server, "alice");
            assertEquals(List.of("s.txt"), names(alice));
            assertTrue(alice.storeFile("up.txt", new ByteArrayInputStream(BOB)), alice.getReplyString());
            assertArrayEquals(BOB, Files.readAllBytes(special.resolve("up.txt")));
            alice.disconnect();
            FTPClient bob = login(server, "bob");
            assertEquals(List.of("b.txt"), names(bob));
            assertFalse(bob.storeFile("up.txt", new ByteArrayInputStream(BOB)));
            bob.disconnect();
        }
    }

    @Test
    void logsShowTheVirtualNameAndGuestAccess() throws Exception {
        Path xferlog = dir.resolve("xferlog");
        Path vsftpdLog = dir.resolve("vsftpd.log");
        try (TestServer server = guests().set("anon_upload_enable", "YES").set("allow_writeable_chroot", "YES")
                .set("dual_log_enable", "YES").set("xferlog_file", xferlog.toString())
                .set("vsftpd_log_file", vsftpdLog.toString()).start()) {
            FTPClient alice = login(server, "alice");
            assertTrue(alice.storeFile("up.txt", new ByteArrayInputStream(BOB)), alice.getReplyString());
            alice.disconnect();
            // xferlog (vsftpd's logging.c): access mode g and the virtual name, not guest_username
            List<String> transfers = LogFiles.await(xferlog, line -> line.contains("/up.txt"));
            assertTrue(transfers.stream().anyMatch(line -> line.endsWith(" /up.txt b _ i g alice ftp 0 * c")),
                    transfers.toString());
            List<String> log = LogFiles.await(vsftpdLog, line -> line.contains("OK UPLOAD"));
            assertTrue(log.stream().anyMatch(line -> line.contains("[alice] OK LOGIN")), log.toString());
            assertTrue(log.stream().anyMatch(line -> line.contains("[alice] OK UPLOAD")), log.toString());
        }
    }

    @Test
    void everyLoginSourceMapsTheSameWay() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run the test's auth program");
        Path program = dir.resolve("auth");
        // accepts any name with the right password, and answers a home of its own that guest mode ignores
        Files.writeString(program, "#!/bin/sh\nread -r name\nread -r pass\n[ \"$pass\" = " + PASSWORD
                + " ] && { echo ok; echo home=" + disk + "; exit 0; }\nexit 1\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        try (TestServer server = guests().set("auth_program", program.toString()).start()) {
            FTPClient carol = server.connect();
            Files.createDirectories(disk.resolve("virtual/carol"));
            assertTrue(carol.login("carol", PASSWORD), carol.getReplyString());
            carol.enterLocalPassiveMode();
            assertEquals("/", carol.printWorkingDirectory());
            assertEquals(List.of(), names(carol));
            carol.disconnect();
            // a name that would climb out of local_root through user_sub_token is refused
            FTPClient climber = server.connect();
            assertFalse(climber.login("..", PASSWORD));
            assertEquals(530, climber.getReplyCode(), climber.getReplyString());
            climber.disconnect();
        }
    }

    @Test
    void startupRemovesLeftoversBelowLocalRootsSharedPart() throws Exception {
        // a crash mid-upload leaves a hidden temp file in a virtual user's home, which no users file lists
        Path leftover = Files.write(Files.createDirectories(disk.resolve("virtual/carol/deep"))
                .resolve(".ferry-upload-0123456789abcdef.part"), new byte[10]);
        Path outside = Files.write(Files.createDirectories(disk.resolve("elsewhere"))
                .resolve(".ferry-upload-fedcba9876543210.part"), new byte[1]);
        try (TestServer server = guests().set("anonymous_enable", "NO").start()) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.exists(leftover) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.notExists(leftover), "leftover below local_root's part before user_sub_token");
            assertTrue(Files.exists(outside), "nothing outside the served roots is touched");
        }
    }

    @Test
    void aMissingGuestAccountStopsTheStart() throws Exception {
        String missing = "nosuch" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        ConfigException error = assertThrows(ConfigException.class,
                () -> guests().set("guest_username", missing).start().close());
        assertTrue(error.getMessage().startsWith("guest_username=" + missing + ": this system has no such account"),
                error.getMessage());
    }

    /**
     * Without local_root the home is the guest account's, from the system's user database, with
     * user_sub_token replaced: the test makes that account with useradd, so it needs root.
     */
    @Test
    void theGuestAccountsHomeWithTheTokenIsEachVirtualUsersHome() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "makes a system account: needs root");
        assumeTrue(PamLoginIT.run("useradd", "--help") == 0, "useradd not found: install passwd");
        String account = "fguest" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        assertEquals(0, PamLoginIT.run("useradd", "-M", "-d", disk.resolve("virtual") + "/$USER", "-s",
                "/usr/sbin/nologin", account));
        try (TestServer server = guests().unset("local_root").set("guest_username", account).start()) {
            FTPClient bob = login(server, "bob");
            assertEquals("/", bob.printWorkingDirectory());
            assertEquals(List.of("b.txt"), names(bob));
            bob.disconnect();
        } finally {
            PamLoginIT.run("userdel", account);
        }
    }
}
