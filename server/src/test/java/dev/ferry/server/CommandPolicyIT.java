package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listing and command policy: hide_ids, hide_file, deny_file, force_dot_files, dirlist_enable,
 * download_enable, ls_recurse_enable, dirmessage_enable, banner_file, cmds_allowed / cmds_denied,
 * chmod_enable, mdtm_write.
 */
@Timeout(60)
class CommandPolicyIT {

    private static final byte[] DATA = "policy\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    @TempDir
    Path conf;

    private static List<String> names(FTPFile[] files) {
        return Arrays.stream(files).map(FTPFile::getName).sorted().toList();
    }

    private TestServer.Builder writer(Backends.Backend backend) throws Exception {
        return backend.builder(dir).set("local_enable", "YES").set("write_enable", "YES")
                .users(TestUsers.of(conf, "writer:" + PasswordHash.sha512Crypt("secret") + "::staff,web"));
    }

    private static FTPClient writer(TestServer server) throws Exception {
        return TestUsers.writer(server);
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void hideIdsShowsFtpOtherwiseTheUser(Backends.Backend backend) throws Exception {
        try (TestServer server = writer(backend).start()) {
            server.put("/f.txt", DATA);
            FTPClient client = writer(server);
            FTPFile file = client.listFiles()[0];
            assertEquals("writer", file.getUser());
            assertEquals("staff", file.getGroup());
            client.disconnect();
        }
        try (TestServer server = writer(backend).set("hide_ids", "YES").start()) {
            server.put("/f.txt", DATA);
            FTPClient client = writer(server);
            FTPFile file = client.listFiles()[0];
            assertEquals("ftp", file.getUser());
            assertEquals("ftp", file.getGroup());
            client.disconnect();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void hideFileDenyFileAndDotFiles(Backends.Backend backend) throws Exception {
        try (TestServer server = writer(backend).set("hide_file", "{*.mp3,secret*}").set("deny_file", "{*.key,vault}").start()) {
            server.put("/song.mp3", DATA);
            server.put("/secret.txt", DATA);
            server.put("/id.key", DATA);
            server.put("/vault/gold.txt", DATA);
            server.put("/.profile", DATA);
            server.put("/plain.txt", DATA);
            FTPClient client = writer(server);
            assertEquals(List.of("id.key", "plain.txt", "vault"), names(client.listFiles()));
            assertEquals(List.of(".profile", "id.key", "plain.txt", "vault"), names(client.listFiles("-a")));
            // hidden, yet reachable by name
            assertArrayEquals(DATA, Clients.retrieve(client, "song.mp3"));
            // denied: listed, but nothing can be done with them
            assertFalse(client.retrieveFile("id.key", new ByteArrayOutputStream()));
            assertEquals("550 Permission denied.", client.getReplyString().strip());
            assertFalse(client.changeWorkingDirectory("vault"));
            assertEquals(550, client.sendCommand("SIZE", "vault/gold.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("DELE", "id.key"), client.getReplyString());
            assertFalse(client.storeFile("new.key", new ByteArrayInputStream(DATA)));
            assertEquals(553, client.getReplyCode());
            client.disconnect();
        }
        try (TestServer server = writer(backend).set("force_dot_files", "YES").start()) {
            server.put("/.profile", DATA);
            FTPClient client = writer(server);
            assertTrue(names(client.listFiles()).contains(".profile"));
            client.disconnect();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void dirlistAndDownloadSwitches(Backends.Backend backend) throws Exception {
        try (TestServer server = writer(backend).set("dirlist_enable", "NO").set("download_enable", "NO").start()) {
            server.put("/f.txt", DATA);
            FTPClient client = writer(server);
            assertEquals(0, client.listFiles().length);
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(550, client.sendCommand("MLSD"), client.getReplyString());
            assertFalse(client.retrieveFile("f.txt", new ByteArrayOutputStream()));
            assertEquals("550 Permission denied.", client.getReplyString().strip());
            assertTrue(client.storeFile("up.txt", new ByteArrayInputStream(DATA)), "uploads still work");
            client.disconnect();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void recursiveListingOnlyWithLsRecurseEnable(Backends.Backend backend) throws Exception {
        try (TestServer server = writer(backend).set("ls_recurse_enable", "YES").start()) {
            server.put("/top.txt", DATA);
            server.put("/a/inner.txt", DATA);
            server.put("/a/b/deep.txt", DATA);
            String listing = String.join("\n", listing(server, "LIST -R"));
            assertTrue(listing.contains("top.txt") && listing.contains("./a:") && listing.contains("inner.txt")
                    && listing.contains("./a/b:") && listing.contains("deep.txt"), listing);
        }
        try (TestServer server = writer(backend).start()) {
            server.put("/top.txt", DATA);
            server.put("/a/b/deep.txt", DATA);
            String listing = String.join("\n", listing(server, "LIST -R"));
            assertTrue(listing.contains("top.txt"), listing);
            assertFalse(listing.contains("deep.txt"), listing);
        }
    }

    /** A listing read over a raw control connection, so the command goes out exactly as written. */
    private static List<String> listing(TestServer server, String command) throws Exception {
        try (Clients.Raw raw = new Clients.Raw(server)) {
            raw.command("USER writer", 331);
            raw.command("PASS secret", 230);
            List<String> lines;
            try (var data = raw.passive()) {
                raw.command(command, 150);
                lines = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
            raw.expect(226);
            return lines;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void dirMessageShownOncePerDirectory(Backends.Backend backend) throws Exception {
        try (TestServer server = writer(backend).set("dirmessage_enable", "YES").start()) {
            server.put("/.message", "Welcome to the top\n".getBytes(StandardCharsets.UTF_8));
            server.put("/pub/.message", "Public files\nsecond line\n".getBytes(StandardCharsets.UTF_8));
            FTPClient client = server.connect();
            assertTrue(client.login("writer", "secret"));
            assertTrue(client.getReplyString().contains("Welcome to the top"), client.getReplyString());
            assertTrue(client.changeWorkingDirectory("pub"));
            assertTrue(client.getReplyString().contains("Public files") && client.getReplyString().contains("second line"),
                    client.getReplyString());
            assertTrue(client.changeWorkingDirectory("/"));
            assertTrue(client.changeWorkingDirectory("pub"));
            assertEquals("250 Directory successfully changed.", client.getReplyString().strip());
            client.disconnect();
        }
    }

    @Test
    void bannerFileReplacesTheGreeting() throws Exception {
        Path banner = Files.writeString(conf.resolve("banner"), "Welcome to Ferry.\nAuthorised use only.\n");
        try (TestServer server = TestServer.builder().set("banner_file", banner.toString()).set("ftpd_banner", "ignored").start();
             RawClient raw = new RawClient(server.port())) {
            RawClient.Reply greeting = raw.reply();
            assertEquals(220, greeting.code());
            assertEquals(List.of("220-Welcome to Ferry.", "220 Authorised use only."), greeting.lines());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void cmdsAllowedAndDenied(Backends.Backend backend) throws Exception {
        try (TestServer server = writer(backend).set("cmds_allowed", "PASV,RETR,QUIT,TYPE,FEAT,HELP,CWD").start()) {
            server.put("/f.txt", DATA);
            FTPClient client = writer(server); // USER and PASS are not checked before login
            assertArrayEquals(DATA, Clients.retrieve(client, "f.txt"));
            assertEquals(550, client.sendCommand("LIST"), client.getReplyString());
            assertEquals("550 Permission denied.", client.getReplyString().strip());
            assertEquals(550, client.sendCommand("PWD"));
            assertEquals(250, client.sendCommand("XCWD", "/"), "an alias is allowed with its verb");
            assertEquals(211, client.sendCommand("FEAT"));
            assertFalse(client.getReplyString().contains("SIZE"), client.getReplyString());
            assertEquals(214, client.sendCommand("HELP"));
            assertFalse(client.getReplyString().contains("DELE"), client.getReplyString());
            client.disconnect();
        }
        try (TestServer server = writer(backend).set("cmds_denied", "dele,XRMD").start()) {
            server.put("/f.txt", DATA);
            server.put("/d/x", DATA);
            FTPClient client = writer(server);
            assertEquals(550, client.sendCommand("DELE", "f.txt"));
            assertEquals(550, client.sendCommand("XRMD", "d"));
            assertEquals(213, client.sendCommand("SIZE", "f.txt"));
            client.disconnect();
        }
    }

    @Test
    void chmodEnableAndMdtmWrite() throws Exception {
        try (TestServer server = writer(Backends.LOCAL).start()) {
            server.put("/f.txt", DATA);
            FTPClient client = writer(server);
            assertEquals(200, client.sendCommand("SITE", "CHMOD 640 f.txt"), client.getReplyString());
            assertEquals(213, client.sendCommand("MFMT", "20200102030405 f.txt"), client.getReplyString());
            client.disconnect();
        }
        try (TestServer server = writer(Backends.LOCAL).set("chmod_enable", "NO").set("mdtm_write", "NO").start()) {
            FTPClient client = writer(server);
            assertEquals(550, client.sendCommand("SITE", "CHMOD 600 f.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("MFMT", "20210102030405 f.txt"), client.getReplyString());
            // without mdtm_write the two-argument form is just a name, as in vsftpd
            assertEquals(550, client.sendCommand("MDTM", "20210102030405 f.txt"), client.getReplyString());
            assertEquals(213, client.sendCommand("MDTM", "f.txt"), client.getReplyString());
            assertEquals("213 20200102030405", client.getReplyString().strip(), "the time is unchanged");
            client.disconnect();
        }
        try (TestServer server = Backends.LOCAL.builder(dir).set("write_enable", "YES")
                .set("anon_other_write_enable", "YES").start()) {
            FTPClient client = server.anonymous();
            assertEquals(550, client.sendCommand("SITE", "CHMOD 666 f.txt"), "never for anonymous users");
            client.disconnect();
        }
    }
}
