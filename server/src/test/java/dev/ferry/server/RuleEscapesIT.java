package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ways round an access rule or a deny_file name that are not links, on every backend: renaming or
 * removing a directory a rule protects something below, and names STOU, RNTO and MKD make.
 */
@Timeout(90)
class RuleEscapesIT {

    private static final String PASSWORD = "rules pass";
    private static final byte[] DATA = "data\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    @TempDir
    Path conf;

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void renamingOrRemovingAParentCannotCarryASubtreeOutFromUnderItsRule(Backends.Backend backend) throws Exception {
        Path rules = Files.writeString(conf.resolve("rules"),
                "\"" + backend.configured(dir, "/home/alice") + "\" alice all\n"
                        + "\"" + backend.configured(dir, "/home/alice/shared/locked") + "\" alice list,read\n"
                        + "\"" + backend.configured(dir, "/pub/private") + "\" anonymous none\n");
        try (TestServer server = backend.builder(dir).set("local_enable", "YES").set("write_enable", "YES")
                .set("chroot_local_user", "YES").set("allow_writeable_chroot", "YES")
                .set("anon_root", backend.configured(dir, "/")).set("access_rules_file", rules.toString())
                .users(TestUsers.of(conf, "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":"
                        + backend.configured(dir, "/home/alice"),
                        "carol:" + PasswordHash.sha512Crypt(PASSWORD) + ":" + backend.configured(dir, "/")))
                .start()) {
            server.put("/home/alice/shared/locked/kept.txt", DATA);
            server.put("/home/alice/shared/free/f.txt", DATA);
            server.put("/pub/private/hidden.txt", DATA);
            FTPClient alice = login(server, "alice");

            assertFalse(alice.storeFile("/shared/locked/x", new ByteArrayInputStream(DATA)));
            assertEquals(553, alice.getReplyCode(), alice.getReplyString());
            assertEquals(550, alice.sendCommand("RNFR /shared"), alice.getReplyString());
            assertEquals(550, alice.sendCommand("RNFR /shared/locked"), alice.getReplyString());
            assertEquals(550, alice.sendCommand("RMD /shared/locked"), alice.getReplyString());
            // what no rule guards moves as before
            assertEquals(350, alice.sendCommand("RNFR /shared/free/f.txt"), alice.getReplyString());
            assertEquals(250, alice.sendCommand("RNTO /shared/loose.txt"), alice.getReplyString());
            assertFalse(alice.storeFile("/shared2/locked/x", new ByteArrayInputStream(DATA)));
            alice.disconnect();

            // a user with every right cannot move a directory closed to anonymous users out from under its rule
            FTPClient carol = login(server, "carol");
            assertEquals(550, carol.sendCommand("RNFR /pub"), carol.getReplyString());
            assertEquals(550, carol.sendCommand("RNFR /pub/private"), carol.getReplyString());
            carol.disconnect();
            FTPClient anonymous = server.anonymous();
            assertEquals(0, anonymous.listFiles("/pub/private").length);
            assertEquals(550, anonymous.getReplyCode(), anonymous.getReplyString());
            anonymous.disconnect();

            assertEquals(DATA.length, server.storage.stat(StoragePath.parse("/home/alice/shared/locked/kept.txt")).size());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void everyWayToMakeANameObeysDenyFile(Backends.Backend backend) throws Exception {
        try (TestServer server = backend.builder(dir).set("write_enable", "YES").set("anon_upload_enable", "YES")
                .set("anon_mkdir_write_enable", "YES").set("anon_other_write_enable", "YES")
                .set("anon_root", backend.configured(dir, "/")).set("deny_file", "{*.exe,.private}").start()) {
            server.put("/incoming/ok.txt", DATA);
            FTPClient client = server.anonymous();
            assertFalse(client.storeUniqueFile("/incoming/evil.exe", new ByteArrayInputStream(DATA)));
            assertEquals(553, client.getReplyCode(), client.getReplyString());
            assertFalse(client.storeFile("/incoming/evil.exe", new ByteArrayInputStream(DATA)));
            assertEquals(553, client.getReplyCode(), client.getReplyString());
            assertFalse(client.appendFile("/incoming/evil.exe", new ByteArrayInputStream(DATA)));
            assertEquals(553, client.getReplyCode(), client.getReplyString());
            assertEquals(550, client.sendCommand("MKD /incoming/.private"), client.getReplyString());
            assertEquals(350, client.sendCommand("RNFR /incoming/ok.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("RNTO /incoming/ok.exe"), client.getReplyString());
            assertTrue(client.storeUniqueFile("/incoming/fine.txt", new ByteArrayInputStream(DATA)), client.getReplyString());
            client.disconnect();
            try (var listing = server.storage.list(StoragePath.parse("/incoming"))) {
                Set<String> names = java.util.stream.StreamSupport.stream(listing.spliterator(), false)
                        .map(info -> info.name()).collect(Collectors.toSet());
                assertEquals(Set.of("ok.txt", "fine.txt"), names);
            }
        }
    }

    /** Streaming is the server's, the same on every backend: memory and local disk fill 2,500 entries quickly. */
    static java.util.List<Backends.Backend> quickToFill() {
        return java.util.List.of(Backends.MEMORY, Backends.LOCAL);
    }

    @ParameterizedTest
    @MethodSource("quickToFill")
    void statOfAHugeDirectoryIsStreamedWhole(Backends.Backend backend) throws Exception {
        int files = 2_500;
        try (TestServer server = backend.builder(dir).set("anon_root", backend.configured(dir, "/")).start()) {
            for (int i = 0; i < files; i++) {
                server.put("/big/f" + i, new byte[0]);
            }
            FTPClient client = server.anonymous();
            assertEquals(212, client.sendCommand("STAT /big"), client.getReplyString().substring(0, 80));
            String[] lines = client.getReplyStrings();
            assertEquals(files + 2, lines.length);
            assertTrue(lines[0].startsWith("212-") && lines[lines.length - 1].startsWith("212 "));
            Set<String> names = Arrays.stream(lines, 1, lines.length - 1).map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .collect(Collectors.toSet());
            assertEquals(files, names.size());
            assertTrue(names.contains("f0") && names.contains("f" + (files - 1)));
            client.disconnect();
        }
    }

    private static FTPClient login(TestServer server, String user) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login(user, PASSWORD), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }
}
