package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.vfs.SftpTestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The jail, over real FTP sessions, on every backend whose storage can hold symbolic links: local
 * disk, VFS on file:// and VFS on sftp:// (an in-process SFTP server serving a temp directory).
 * Links are planted on disk as an administrator or a local user with a shell would. A link that
 * stays in the session's root works; one that leaves it is as if absent for every verb, and no
 * byte of what lies outside ever reaches the client, nor does anything get written there.
 */
@Timeout(120)
class JailIT {

    private static final String PASSWORD = "jail pass";
    private static final byte[] SECRET = "SECRET-BYTES outside the jail\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO = "hello from inside\n".getBytes(StandardCharsets.US_ASCII);

    /** A backend over a directory on disk; {@link #configured} spells a path of it for the configuration. */
    enum DiskBackend {
        LOCAL, VFS_FILE, VFS_SFTP
    }

    @TempDir
    Path disk;
    @TempDir
    Path work;
    private SftpTestServer sftp;
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sftp != null) {
            sftp.close();
        }
    }

    /**
     * disk/secret.txt and disk/secretdir/s.txt outside every jail; disk/pub (anon_root) with a file,
     * a directory and links of every kind; disk/home/alice and disk/home/bob for jailed local users.
     */
    private void layout() throws IOException {
        Files.write(disk.resolve("secret.txt"), SECRET);
        Files.createDirectories(disk.resolve("secretdir"));
        Files.write(disk.resolve("secretdir/s.txt"), SECRET);
        Path pub = Files.createDirectories(disk.resolve("pub"));
        Files.write(pub.resolve("readme.txt"), HELLO);
        Files.createDirectories(pub.resolve("docs"));
        Files.write(pub.resolve("docs/a.txt"), HELLO);
        Files.createDirectories(pub.resolve("incoming"));
        Files.createSymbolicLink(pub.resolve("inside"), Path.of("readme.txt"));
        Files.createSymbolicLink(pub.resolve("docslink"), Path.of("docs"));
        Files.createSymbolicLink(pub.resolve("absinside"), pub.resolve("docs/a.txt").toAbsolutePath());
        Files.createSymbolicLink(pub.resolve("etc"), disk.resolve("secretdir").toAbsolutePath());
        Files.createSymbolicLink(pub.resolve("up"), Path.of("../secret.txt"));
        Files.createSymbolicLink(pub.resolve("chain"), Path.of("up"));
        Files.createSymbolicLink(pub.resolve("docs/back"), Path.of("../../secretdir"));
        Files.createSymbolicLink(pub.resolve("incoming/drop"), Path.of("../../secretdir"));
        Files.createDirectories(disk.resolve("home/alice"));
        Files.createDirectories(disk.resolve("home/bob"));
        Files.write(disk.resolve("home/bob/bob.txt"), SECRET);
        Files.write(disk.resolve("home/alice/mine.txt"), HELLO);
        Files.createSymbolicLink(disk.resolve("home/alice/x"), Path.of("../bob"));
    }

    private TestServer start(DiskBackend backend, String... settings) throws Exception {
        UserStore users = TestUsers.of(work, "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":"
                + configured(backend, "/home/alice"));
        TestServer.Builder builder = switch (backend) {
            case LOCAL -> TestServer.builder().local(disk);
            case VFS_FILE -> TestServer.builder().storage(vfs("vfs_root=" + disk.toUri()));
            case VFS_SFTP -> {
                sftp = SftpTestServer.start(disk);
                yield TestServer.builder().storage(vfs("vfs_root=" + sftp.uri(),
                        "vfs_password=" + SftpTestServer.PASSWORD,
                        "vfs_sftp_known_hosts_file=" + sftp.knownHosts(work),
                        "vfs_connect_timeout=5s", "vfs_timeout=10s"));
            }
        };
        builder.set("anon_root", configured(backend, "/pub")).set("local_enable", "YES")
                .set("chroot_local_user", "YES").set("allow_writeable_chroot", "YES").users(users)
                .set("write_enable", "YES").set("anon_upload_enable", "YES").set("anon_mkdir_write_enable", "YES")
                .set("anon_other_write_enable", "YES").set("anon_world_readable_only", "NO");
        for (String setting : settings) {
            String[] pair = setting.split("=", 2);
            builder.set(pair[0], pair[1]);
        }
        server = builder.start();
        return server;
    }

    private String configured(DiskBackend backend, String path) {
        return backend == DiskBackend.LOCAL ? disk + path : path;
    }

    private static Storage vfs(String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("storage=vfs"));
        all.addAll(List.of(settings));
        List<StorageProvider> providers = StorageProvider.installed();
        ServerConfig config = ServerConfig.load(List.of(Source.overrides(all)),
                providers.stream().flatMap(p -> p.settings().stream()).toList());
        return providers.stream().filter(p -> p.name().equals("vfs")).findFirst().orElseThrow()
                .open(config.backendSettings());
    }

    @ParameterizedTest
    @EnumSource(DiskBackend.class)
    void linksInsideTheJailWorkAsTheirTargets(DiskBackend backend) throws Exception {
        layout();
        FTPClient client = start(backend).anonymous();
        assertArrayEquals(HELLO, Clients.retrieve(client, "inside"));
        assertArrayEquals(HELLO, Clients.retrieve(client, "docslink/a.txt"));
        assertArrayEquals(HELLO, Clients.retrieve(client, "absinside"));
        assertEquals(String.valueOf(HELLO.length), client.getSize("inside"), client.getReplyString());
        assertTrue(client.changeWorkingDirectory("docslink"), client.getReplyString());
        assertArrayEquals(HELLO, Clients.retrieve(client, "a.txt"));
        assertArrayEquals(HELLO, Clients.retrieve(client, "../readme.txt"));
        assertTrue(client.changeWorkingDirectory("/"), client.getReplyString());
        FTPFile[] listing = client.listFiles();
        FTPFile inside = Arrays.stream(listing).filter(f -> f.getName().equals("inside")).findFirst().orElseThrow();
        assertEquals(HELLO.length, inside.getSize(), "a link inside is listed as its target");
        client.disconnect();
    }

    @ParameterizedTest
    @EnumSource(DiskBackend.class)
    void linksOutOfTheJailAreAsIfAbsentForEveryVerb(DiskBackend backend) throws Exception {
        layout();
        FTPClient client = start(backend).anonymous();
        List<String> files = List.of("up", "chain", "etc/s.txt", "docs/back/s.txt", "/etc/../etc/s.txt", "incoming/drop/s.txt");
        List<String> dirs = List.of("etc", "docs/back", "incoming/drop");
        for (String file : files) {
            assertRefused(client, "RETR " + file, () -> retrieveRefused(client, file));
            assertRefused(client, "SIZE " + file, () -> client.getSize(file) == null);
            assertRefused(client, "MDTM " + file, () -> client.getModificationTime(file) == null);
            assertRefused(client, "MLST " + file, () -> client.mlistFile(file) == null);
            assertRefused(client, "HASH " + file, () -> !positive(client.sendCommand("HASH " + file)));
            assertRefused(client, "XMD5 " + file, () -> !positive(client.sendCommand("XMD5 " + file)));
            assertRefused(client, "DELE " + file, () -> !client.deleteFile(file));
            assertRefused(client, "RNFR " + file, () -> !positive(client.sendCommand("RNFR " + file)));
            assertRefused(client, "STOR " + file, () -> !client.storeFile(file, new ByteArrayInputStream(HELLO)));
            assertRefused(client, "APPE " + file, () -> !client.appendFile(file, new ByteArrayInputStream(HELLO)));
            assertRefused(client, "MFMT " + file, () -> !positive(client.sendCommand("MFMT 20010101000000 " + file)));
            if (backend == DiskBackend.LOCAL) {
                assertRefused(client, "SITE CHMOD " + file, () -> !positive(client.sendCommand("SITE CHMOD 777 " + file)));
            }
        }
        for (String dir : dirs) {
            assertRefused(client, "CWD " + dir, () -> !client.changeWorkingDirectory(dir));
            assertRefused(client, "LIST " + dir, () -> client.listFiles(dir).length == 0);
            assertRefused(client, "NLST " + dir, () -> client.listNames(dir) == null);
            assertRefused(client, "MLSD " + dir, () -> client.mlistDir(dir).length == 0);
            assertRefused(client, "STAT " + dir, () -> !positive(client.sendCommand("STAT " + dir)));
            assertRefused(client, "MKD " + dir + "/new", () -> !client.makeDirectory(dir + "/new"));
            assertRefused(client, "RMD " + dir, () -> !client.removeDirectory(dir));
            assertRefused(client, "STOU " + dir + "/x", () -> !client.storeUniqueFile(dir + "/x", new ByteArrayInputStream(HELLO)));
            assertRefused(client, "RNTO " + dir + "/moved", () -> {
                assertEquals(350, client.sendCommand("RNFR readme.txt"), client.getReplyString());
                return !positive(client.sendCommand("RNTO " + dir + "/moved"));
            });
        }
        Set<String> names = Arrays.stream(client.listNames()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("readme.txt", "inside", "docs")), names.toString());
        if (backend == DiskBackend.LOCAL) {
            // NLST reads names only, as vsftpd does: the links out are named, and nothing more (above)
            assertTrue(names.containsAll(Set.of("up", "etc", "chain")), names.toString());
        } else {
            assertFalse(names.contains("up") || names.contains("etc") || names.contains("chain"), names.toString());
        }
        Set<String> listed = Arrays.stream(client.listFiles()).map(FTPFile::getName).collect(Collectors.toSet());
        assertTrue(listed.containsAll(Set.of("readme.txt", "inside", "docs")), listed.toString());
        assertFalse(listed.contains("up") || listed.contains("etc") || listed.contains("chain"), listed.toString());
        Set<String> facts = Arrays.stream(client.mlistDir()).map(FTPFile::getName).collect(Collectors.toSet());
        assertTrue(facts.containsAll(Set.of("readme.txt", "inside", "docs")), facts.toString());
        assertFalse(facts.contains("up") || facts.contains("etc") || facts.contains("chain"), facts.toString());
        assertEquals(211, client.sendCommand("STAT"), client.getReplyString());
        client.disconnect();

        // nothing outside changed: the same files, the same bytes, nothing planted
        assertArrayEquals(SECRET, Files.readAllBytes(disk.resolve("secret.txt")));
        assertArrayEquals(SECRET, Files.readAllBytes(disk.resolve("secretdir/s.txt")));
        try (var entries = Files.list(disk.resolve("secretdir"))) {
            assertEquals(List.of("s.txt"), entries.map(p -> p.getFileName().toString()).toList());
        }
        assertArrayEquals(HELLO, Files.readAllBytes(disk.resolve("pub/readme.txt")));
    }

    /**
     * NLST names entries without a stat (issue 15, as vsftpd and pure-ftpd): on local disk a link
     * leading out, a chain to one, a link to a directory outside, a dangling link and a FIFO are
     * named by NLST, by its patterns and under a path, and that name is all that leaks: every
     * command on them answers 550, LIST, MLSD and STAT leave them out, and no byte, size, time or
     * name from outside arrives.
     */
    @org.junit.jupiter.api.Test
    void nlstNamesWhatListingsLeaveOutAndNothingOfItsTarget() throws Exception {
        layout();
        Path pub = disk.resolve("pub");
        Files.createSymbolicLink(pub.resolve("dangling"), disk.resolve("nowhere").toAbsolutePath());
        Files.createSymbolicLink(pub.resolve("docs/upfile"), Path.of("../../secret.txt"));
        boolean fifo = mkfifo(pub.resolve("pipe"));
        FTPClient client = start(DiskBackend.LOCAL).anonymous();
        List<String> hidden = new ArrayList<>(List.of("up", "chain", "etc", "dangling"));
        if (fifo) {
            hidden.add("pipe");
        }
        for (String argument : new String[] {"", "-l", "-la", "/", "*", "-a *"}) {
            String[] got = argument.isEmpty() ? client.listNames() : client.listNames(argument);
            assertTrue(got != null, "NLST " + argument + ": " + client.getReplyString());
            Set<String> names = Arrays.stream(got).map(n -> n.substring(n.lastIndexOf('/') + 1))
                    .collect(Collectors.toSet());
            assertTrue(names.containsAll(hidden), "NLST " + argument + ": " + names);
            assertTrue(names.containsAll(Set.of("readme.txt", "inside", "docs")), "NLST " + argument + ": " + names);
            assertFalse(names.contains("s.txt") || names.contains("secret.txt"), "NLST " + argument + ": " + names);
        }
        assertEquals(Set.of("docs/a.txt", "docs/back", "docs/upfile"), Set.of(client.listNames("docs")));
        assertEquals(Set.of("docs/back", "docs/upfile"), Set.of(client.listNames("docs/*[ek]*")));
        assertEquals(Set.of("up", "etc"), Set.of(client.listNames("?[pt]*")));
        for (String name : hidden) {
            assertRefused(client, "NLST " + name, () -> client.listNames(name) == null);
            assertRefused(client, "NLST " + name + "/*", () -> client.listNames(name + "/*") == null);
            assertRefused(client, "RETR " + name, () -> retrieveRefused(client, name));
            assertRefused(client, "SIZE " + name, () -> client.getSize(name) == null);
            assertRefused(client, "MDTM " + name, () -> client.getModificationTime(name) == null);
            assertRefused(client, "MLST " + name, () -> client.mlistFile(name) == null);
            assertRefused(client, "CWD " + name, () -> !client.changeWorkingDirectory(name));
            assertRefused(client, "LIST " + name, () -> client.listFiles(name).length == 0);
            assertRefused(client, "MLSD " + name, () -> client.mlistDir(name).length == 0);
            assertRefused(client, "STAT " + name, () -> !positive(client.sendCommand("STAT " + name)));
            assertRefused(client, "HASH " + name, () -> !positive(client.sendCommand("HASH " + name)));
            assertRefused(client, "RNFR " + name, () -> !positive(client.sendCommand("RNFR " + name)));
        }
        for (String name : List.of("etc/s.txt", "docs/back/s.txt", "docs/upfile")) {
            assertRefused(client, "RETR " + name, () -> retrieveRefused(client, name));
            assertRefused(client, "SIZE " + name, () -> client.getSize(name) == null);
        }
        Set<String> listed = Arrays.stream(client.listFiles()).map(FTPFile::getName).collect(Collectors.toSet());
        Set<String> facts = Arrays.stream(client.mlistDir()).map(FTPFile::getName).collect(Collectors.toSet());
        for (String name : hidden) {
            assertFalse(listed.contains(name), "LIST shows " + name + ": " + listed);
            assertFalse(facts.contains(name), "MLSD shows " + name + ": " + facts);
        }
        assertEquals(212, client.sendCommand("STAT *"), client.getReplyString());
        for (String name : hidden) {
            assertFalse(client.getReplyString().contains(" " + name + "\r\n"), "STAT * shows " + name);
        }
        client.disconnect();
        assertArrayEquals(SECRET, Files.readAllBytes(disk.resolve("secret.txt")));
        assertFalse(Files.exists(disk.resolve("nowhere")));
    }

    private static boolean mkfifo(Path fifo) {
        try {
            Process process = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            return process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(DiskBackend.class)
    void aJailedUserCannotFollowALinkIntoAnotherHome(DiskBackend backend) throws Exception {
        layout();
        start(backend);
        FTPClient alice = server.connect();
        assertTrue(alice.login("alice", PASSWORD), alice.getReplyString());
        alice.enterLocalPassiveMode();
        alice.setFileType(FTP.BINARY_FILE_TYPE);
        assertArrayEquals(HELLO, Clients.retrieve(alice, "mine.txt"));
        assertRefused(alice, "CWD x", () -> !alice.changeWorkingDirectory("x"));
        assertRefused(alice, "RETR x/bob.txt", () -> retrieveRefused(alice, "x/bob.txt"));
        assertRefused(alice, "STOR x/planted", () -> !alice.storeFile("x/planted", new ByteArrayInputStream(HELLO)));
        assertRefused(alice, "DELE x/bob.txt", () -> !alice.deleteFile("x/bob.txt"));
        alice.disconnect();
        try (var entries = Files.list(disk.resolve("home/bob"))) {
            assertEquals(List.of("bob.txt"), entries.map(p -> p.getFileName().toString()).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(DiskBackend.class)
    void accessRulesAndDenyFileApplyWhereALinkLeads(DiskBackend backend) throws Exception {
        layout();
        Path pub = disk.resolve("pub");
        Files.createDirectories(pub.resolve("locked"));
        Files.write(pub.resolve("locked/private.txt"), HELLO);
        Files.createSymbolicLink(pub.resolve("open"), Path.of("locked"));
        Files.write(pub.resolve("data.secret"), HELLO);
        Files.createSymbolicLink(pub.resolve("nice.txt"), Path.of("data.secret"));
        Path rules = Files.writeString(work.resolve("rules"), "\"" + configured(backend, "/pub/locked")
                + "\" anonymous list\n");
        FTPClient client = start(backend, "access_rules_file=" + rules, "deny_file={*.secret}").anonymous();
        assertRefused(client, "RETR locked/private.txt", () -> retrieveRefused(client, "locked/private.txt"));
        assertRefused(client, "RETR open/private.txt", () -> retrieveRefused(client, "open/private.txt"));
        assertRefused(client, "STOR open/new.txt", () -> !client.storeFile("open/new.txt", new ByteArrayInputStream(HELLO)));
        assertRefused(client, "RETR data.secret", () -> retrieveRefused(client, "data.secret"));
        assertRefused(client, "RETR nice.txt", () -> retrieveRefused(client, "nice.txt"));
        assertArrayEquals(HELLO, Clients.retrieve(client, "readme.txt"));
        client.disconnect();
        assertFalse(Files.exists(pub.resolve("locked/new.txt")));
    }

    /**
     * A local user with a shell swaps a directory of the anonymous root for a link to a directory
     * outside, and back, as fast as they can, while an FTP session downloads through it: every
     * download gets the inside file or a 550, never a byte of the outside one.
     */
    @org.junit.jupiter.api.Test
    void swappingADirectoryForALinkDuringDownloadsNeverServesWhatIsOutside() throws Exception {
        layout();
        Path docs = disk.resolve("pub/docs");
        Path parked = disk.resolve("pub/docs-parked");
        Files.write(disk.resolve("secretdir/a.txt"), SECRET);
        FTPClient client = start(DiskBackend.LOCAL).anonymous();
        long end = System.nanoTime() + 3_000_000_000L;
        java.util.concurrent.atomic.AtomicInteger swaps = new java.util.concurrent.atomic.AtomicInteger();
        Thread swapper = Thread.ofPlatform().start(() -> {
            while (System.nanoTime() < end && swaps.get() < 1_000_000) {
                try {
                    Files.move(docs, parked);
                    Files.createSymbolicLink(docs, disk.resolve("secretdir").toAbsolutePath());
                    Files.delete(docs);
                    Files.move(parked, docs);
                    swaps.incrementAndGet();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        int inside = 0;
        int refused = 0;
        for (int i = 0; i < 100_000 && System.nanoTime() < end; i++) {
            InputStream in = client.retrieveFileStream("docs/a.txt");
            if (in == null) {
                refused++;
                assertEquals(550, client.getReplyCode(), client.getReplyString());
                continue;
            }
            byte[] got;
            try (in) {
                got = in.readAllBytes();
            }
            assertTrue(client.completePendingCommand(), client.getReplyString());
            assertFalse(new String(got, StandardCharsets.ISO_8859_1).contains("SECRET"), "a download got the outside file");
            assertArrayEquals(HELLO, got);
            inside++;
        }
        swapper.join();
        client.disconnect();
        assertTrue(swaps.get() > 100, "the swapper ran " + swaps.get() + " times");
        assertTrue(inside > 0, "no download got through: " + refused + " refused");
    }

    /** True when RETR is refused; bytes that do arrive fail the test with what they were. */
    private static boolean retrieveRefused(FTPClient client, String file) throws IOException {
        InputStream in = client.retrieveFileStream(file);
        if (in == null) {
            return true;
        }
        byte[] got;
        try (in) {
            got = in.readAllBytes();
        }
        client.completePendingCommand();
        throw new AssertionError("RETR " + file + " sent " + new String(got, StandardCharsets.ISO_8859_1));
    }

    private static boolean positive(int code) {
        return code < 400;
    }

    @FunctionalInterface
    private interface Refusal {
        boolean refused() throws IOException;
    }

    /** The command is refused with a 5xx (as if the entry were absent), and the reply leaks nothing. */
    private static void assertRefused(FTPClient client, String what, Refusal action) throws IOException {
        boolean refused = action.refused();
        String reply = client.getReplyString();
        assertTrue(refused, what + " was not refused: " + reply);
        assertTrue(client.getReplyCode() >= 500 && client.getReplyCode() < 600, what + ": " + reply);
        assertFalse(reply.contains("SECRET"), what + " leaked: " + reply);
    }
}
