package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * chown_uploads: an anonymous upload belongs to chown_username with chown_upload_mode; a local
 * user's does not. Giving files away needs root (the test makes the owner with useradd); the
 * startup checks run anywhere.
 */
@Timeout(60)
class ChownUploadsIT {

    private static final byte[] DATA = "dropped off\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path disk;
    @TempDir
    Path dir;
    private String made;

    @AfterEach
    void removeAccount() throws Exception {
        if (made != null) {
            PamLoginIT.run("userdel", made);
        }
    }

    @Test
    void anonymousUploadsAreGivenToChownUsername() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "gives files to another user: needs root");
        assumeTrue(PamLoginIT.run("useradd", "--help") == 0, "useradd not found: install passwd");
        String owner = "fchown" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        assertEquals(0, PamLoginIT.run("useradd", "-M", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", owner));
        made = owner;
        Files.createDirectories(disk.resolve("incoming"));
        try (TestServer server = TestUsers.writable(dir).local(disk).set("anon_upload_enable", "YES")
                .set("chroot_local_user", "NO").set("chown_uploads", "YES").set("chown_username", owner)
                .set("chown_upload_mode", "0640").set("local_umask", "022").start()) {
            FTPClient anonymous = server.anonymous();
            anonymous.setFileType(FTP.BINARY_FILE_TYPE);
            assertTrue(anonymous.storeFile("incoming/drop.txt", new ByteArrayInputStream(DATA)),
                    anonymous.getReplyString());
            Path dropped = disk.resolve("incoming/drop.txt");
            assertArrayEquals(DATA, Files.readAllBytes(dropped));
            assertEquals(owner, Files.getOwner(dropped, LinkOption.NOFOLLOW_LINKS).getName());
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dropped)));
            anonymous.disconnect();
            // a local user's upload keeps Ferry's own user and the umask
            FTPClient writer = TestUsers.writer(server);
            assertTrue(writer.storeFile("/incoming/mine.txt", new ByteArrayInputStream(DATA)), writer.getReplyString());
            Path mine = disk.resolve("incoming/mine.txt");
            assertEquals("root", Files.getOwner(mine, LinkOption.NOFOLLOW_LINKS).getName());
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
            writer.disconnect();
        }
    }

    @Test
    void aStorageWithoutOwnersStopsTheStart() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> TestServer.builder().set("storage", "vfs").set("vfs_root", "ram:///").set("chown_uploads", "YES")
                        .start().close());
        assertTrue(error.getMessage().startsWith("chown_uploads=YES: storage=vfs has no Unix owners"),
                error.getMessage());
    }

    @Test
    void aMissingOwnerStopsTheStart() {
        String missing = "nosuch" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        ConfigException error = assertThrows(ConfigException.class, () -> TestServer.builder().local(disk)
                .set("chown_uploads", "YES").set("chown_username", missing).start().close());
        assertEquals("chown_username=" + missing + ": this system has no such account (chown_uploads=YES)",
                error.getMessage());
    }
}
