package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two cases the access rules must express directly, on every backend of the build: vsftpd's
 * chmod 722 drop box and a read-only group directory.
 */
@Timeout(60)
class AccessRulesIT {

    private static final byte[] OLD = "already here\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "dropped off\n".getBytes(StandardCharsets.UTF_8);

    /** The storage of the local backend. */
    @TempDir
    Path dir;
    /** Configuration files, outside what is served. */
    @TempDir
    Path conf;

    private Path rules(Backends.Backend backend, String... lines) throws Exception {
        Path file = Files.createTempFile(conf, "rules", ".txt");
        StringBuilder text = new StringBuilder("# test rules\n");
        for (String line : lines) {
            String[] fields = line.split(" ", 2);
            text.append('"').append(backend.configured(dir, fields[0])).append("\" ").append(fields[1]).append('\n');
        }
        Files.writeString(file, text);
        return file;
    }

    private static byte[] stored(TestServer server, String path) throws Exception {
        try (var in = Channels.newInputStream(server.storage.openRead(StoragePath.parse(path), 0))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void anonymousDropBoxTakesUploadsButShowsNothing(Backends.Backend backend) throws Exception {
        Path rules = rules(backend, "/ anonymous list,read", "/upload anonymous write");
        try (TestServer server = backend.builder(dir).set("write_enable", "YES").set("anon_upload_enable", "YES")
                .set("anon_root", backend.configured(dir, "/")).set("access_rules_file", rules.toString()).start()) {
            server.put("/upload/existing.txt", OLD);
            server.put("/pub/readme.txt", OLD);
            FTPClient client = server.anonymous();

            assertTrue(client.storeFile("/upload/new.txt", new ByteArrayInputStream(NEW)), client.getReplyString());
            assertArrayEquals(NEW, stored(server, "/upload/new.txt"));

            assertEquals(550, client.sendCommand("SIZE", "/upload/new.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("MDTM", "/upload/new.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("MLST", "/upload/new.txt"), client.getReplyString());
            assertFalse(client.retrieveFile("/upload/new.txt", new ByteArrayOutputStream()));
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(0, client.listFiles("/upload").length);
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(null, client.listNames("/upload"));
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertEquals(550, client.sendCommand("MLSD", "/upload"), client.getReplyString());
            assertEquals(550, client.sendCommand("STAT", "/upload"), client.getReplyString());

            // existing files are never replaced, not even by the uploader
            assertFalse(client.storeFile("/upload/existing.txt", new ByteArrayInputStream(NEW)));
            assertEquals("553 Could not create file.", client.getReplyString().strip());
            assertArrayEquals(OLD, stored(server, "/upload/existing.txt"));
            assertFalse(client.storeFile("/upload/new.txt", new ByteArrayInputStream(OLD)));
            assertEquals(553, client.getReplyCode());
            assertArrayEquals(NEW, stored(server, "/upload/new.txt"));
            assertFalse(client.appendFile("/upload/new.txt", new ByteArrayInputStream(OLD)));
            assertEquals(553, client.getReplyCode(), client.getReplyString());

            // cd into it works, as with chmod 722/733; the rest of the tree is read-only
            assertTrue(client.changeWorkingDirectory("/upload"), client.getReplyString());
            assertArrayEquals(OLD, Clients.retrieve(client, "/pub/readme.txt"));
            assertEquals(1, client.listFiles("/pub").length);
            assertFalse(client.storeFile("/pub/new.txt", new ByteArrayInputStream(NEW)));
            assertEquals(553, client.getReplyCode());
            assertEquals(550, client.sendCommand("DELE", "/upload/existing.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("MKD", "/upload/sub"), client.getReplyString());
            client.disconnect();
        }
    }

    /** MLSD works rights out once per listing only where no rule can tell entries apart: here rules do. */
    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void mlsdShowsEachEntrysRightsUnderTheRules(Backends.Backend backend) throws Exception {
        Path rules = rules(backend, "/ anonymous list,read", "/open anonymous list,read,write",
                "/open.txt anonymous list,read,overwrite,delete");
        try (TestServer server = backend.builder(dir).set("write_enable", "YES").set("anon_upload_enable", "YES")
                .set("anon_other_write_enable", "YES").set("anon_mkdir_write_enable", "YES")
                .set("anon_root", backend.configured(dir, "/")).set("access_rules_file", rules.toString()).start()) {
            for (String path : new String[] {"/open/a.txt", "/closed/a.txt", "/open.txt", "/closed.txt"}) {
                server.put(path, OLD);
            }
            FTPClient client = server.anonymous();
            java.util.Map<String, String> perm = new java.util.TreeMap<>();
            for (FTPFile entry : client.mlistDir("/")) {
                String raw = entry.getRawListing();
                int at = raw.indexOf("perm=");
                perm.put(entry.getName(), raw.substring(at + 5, raw.indexOf(';', at)));
            }
            assertEquals(java.util.Set.of("open", "closed", "open.txt", "closed.txt"), perm.keySet(), perm.toString());
            assertTrue(perm.get("open").contains("c") && !perm.get("closed").contains("c"), perm.toString());
            assertTrue(perm.get("open").contains("e") && perm.get("closed").contains("e"), perm.toString());
            assertTrue(perm.get("open.txt").contains("w") && !perm.get("closed.txt").contains("w"), perm.toString());
            assertTrue(perm.get("open.txt").contains("d") && !perm.get("closed.txt").contains("d"), perm.toString());
            assertTrue(perm.get("open.txt").contains("r") && perm.get("closed.txt").contains("r"), perm.toString());
            client.disconnect();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void sharedReadOnlyDirectoryForAGroup(Backends.Backend backend) throws Exception {
        String shared = backend.configured(dir, "/shared");
        String hash = PasswordHash.sha512Crypt("secret");
        Path rules = rules(backend, "/shared @readers list,read");
        try (TestServer server = backend.builder(dir).set("local_enable", "YES").set("write_enable", "YES")
                .set("anonymous_enable", "NO").set("access_rules_file", rules.toString())
                .users(TestUsers.of(conf,
                        "alice:" + hash + ":" + shared + ":readers,staff",
                        "bob:" + hash + ":" + shared + ":readers",
                        "carol:" + hash + ":" + backend.configured(dir, "/carol") + ":staff"))
                .start()) {
            server.put("/shared/report.txt", OLD);
            server.put("/carol/notes.txt", OLD);
            for (String user : new String[] {"alice", "bob"}) {
                FTPClient client = login(server, user);
                assertEquals("/", client.printWorkingDirectory());
                FTPFile[] files = client.listFiles();
                assertEquals(1, files.length, client.getReplyString());
                assertEquals("report.txt", files[0].getName());
                assertArrayEquals(OLD, Clients.retrieve(client, "report.txt"));
                assertFalse(client.storeFile("new.txt", new ByteArrayInputStream(NEW)));
                assertEquals("553 Could not create file.", client.getReplyString().strip());
                assertFalse(client.storeFile("report.txt", new ByteArrayInputStream(NEW)));
                assertEquals(553, client.getReplyCode());
                assertEquals(550, client.sendCommand("DELE", "report.txt"), client.getReplyString());
                assertEquals(550, client.sendCommand("MKD", "sub"), client.getReplyString());
                assertEquals(550, client.sendCommand("RNFR", "report.txt"), client.getReplyString());
                assertEquals(250, client.sendCommand("MLST", "report.txt"), client.getReplyString());
                assertTrue(client.getReplyString().contains("perm=r;"), client.getReplyString());
                client.disconnect();
            }
            assertArrayEquals(OLD, stored(server, "/shared/report.txt"));
            // the same server lets a user outside the group write in their own home
            FTPClient carol = login(server, "carol");
            assertTrue(carol.storeFile("new.txt", new ByteArrayInputStream(NEW)), carol.getReplyString());
            carol.disconnect();
            // and anonymous users cannot log in at all
            FTPClient anonymous = server.connect();
            assertEquals(530, anonymous.sendCommand("USER", "anonymous"), anonymous.getReplyString());
            anonymous.disconnect();
        }
    }

    private static FTPClient login(TestServer server, String user) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login(user, "secret"), client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(org.apache.commons.net.ftp.FTP.BINARY_FILE_TYPE);
        return client;
    }
}
