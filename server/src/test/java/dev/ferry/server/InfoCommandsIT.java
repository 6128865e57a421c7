package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Capability;
import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.StoragePath;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** STAT SYST NOOP HELP SITE OPTS, unknown verbs, and the transfer parameters TYPE STRU MODE ALLO REST. */
@Timeout(60)
class InfoCommandsIT {

    @TempDir
    static Path dir;
    static TestServer server;
    FTPClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestUsers.writable(dir).start();
        server.put("/docs/file.txt", new byte[] {1, 2, 3});
        server.put("/docs/other.txt", new byte[] {4});
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void login() throws Exception {
        client = TestUsers.writer(server);
    }

    @AfterEach
    void logout() throws Exception {
        client.disconnect();
    }

    private String reply() {
        return client.getReplyString().strip();
    }

    private List<String> lines() {
        return Arrays.asList(client.getReplyStrings());
    }

    @Test
    void statWithoutPathIsServerStatus() throws Exception {
        assertEquals(211, client.sendCommand("STAT"), reply());
        List<String> lines = lines();
        assertTrue(lines.size() > 2, lines.toString());
        assertEquals("211-FTP server status:", lines.getFirst());
        assertEquals("211 End of status", lines.getLast());
        assertTrue(lines.stream().anyMatch(line -> line.contains("Logged in as writer")), lines.toString());
    }

    @Test
    void statOfADirectoryListsItOnTheControlConnection() throws Exception {
        assertEquals(212, client.sendCommand("STAT", "docs"), reply());
        List<String> lines = lines();
        assertEquals(4, lines.size(), lines.toString());
        // in the storage's order (listings stream from its cursor), bare names as ls -l shows them
        List<String> entries = lines.subList(1, 3);
        assertTrue(entries.stream().allMatch(line -> line.startsWith("-rw")), entries.toString());
        assertTrue(entries.stream().anyMatch(line -> line.endsWith(" file.txt")), entries.toString());
        assertTrue(entries.stream().anyMatch(line -> line.endsWith(" other.txt")), entries.toString());
        assertTrue(lines.getLast().startsWith("212 "), lines.toString());
    }

    @Test
    void statOfAFileIs213() throws Exception {
        assertEquals(213, client.sendCommand("STAT", "docs/file.txt"), reply());
        List<String> lines = lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("-\\S+ +\\d+ \\S+ +\\S+ +3 .* docs/file\\.txt"), lines.get(1));
        assertEquals(550, client.sendCommand("STAT", "missing"), reply());
    }

    @Test
    void systAndNoop() throws Exception {
        assertEquals(215, client.sendCommand("SYST"));
        assertEquals("215 UNIX Type: L8", reply());
        assertEquals(200, client.sendCommand("NOOP"));
        assertEquals(200, client.sendCommand("noop"), "verbs are case-insensitive");
        assertEquals(215, client.sendCommand("Syst"));
    }

    @Test
    void helpListsVerbs() throws Exception {
        assertEquals(214, client.sendCommand("HELP"), reply());
        List<String> lines = lines();
        assertTrue(lines.size() > 2, lines.toString());
        assertTrue(lines.getFirst().startsWith("214-"), lines.toString());
        assertTrue(lines.getLast().startsWith("214 "), lines.toString());
        List<String> words = lines.subList(1, lines.size() - 1).stream()
                .flatMap(line -> Arrays.stream(line.strip().split(" +"))).toList();
        for (String verb : List.of("USER", "RETR", "STOR", "APPE", "MLST", "MFMT", "XCWD", "FEAT", "EPSV")) {
            assertTrue(words.contains(verb), verb + " in " + words);
        }
    }

    @Test
    void helpForOneVerb() throws Exception {
        assertEquals(214, client.sendCommand("HELP", "RETR"), reply());
        assertEquals("214 Syntax: RETR <sp> pathname", reply());
        assertEquals(214, client.sendCommand("HELP", "xcwd"), reply());
        assertEquals(501, client.sendCommand("HELP", "FOO"), reply());
    }

    @Test
    void unknownVerbIs500() throws Exception {
        assertEquals(500, client.sendCommand("FOO"), reply());
        assertEquals("500 Unknown command.", reply());
        assertEquals(500, client.sendCommand("XYZZY", "with argument"), reply());
        assertEquals(200, client.sendCommand("NOOP"), "the session goes on");
    }

    @Test
    void siteHelpAndChmod() throws Exception {
        assertEquals(214, client.sendCommand("SITE", "HELP"), reply());
        assertTrue(reply().contains("CHMOD"), reply());
        assertEquals(200, client.sendCommand("SITE", "CHMOD 640 docs/file.txt"), reply());
        assertEquals(0640, server.storage.stat(StoragePath.parse("/docs/file.txt")).permissions().orElseThrow());
        assertEquals(501, client.sendCommand("SITE", "CHMOD 999 docs/file.txt"), reply());
        assertEquals(550, client.sendCommand("SITE", "CHMOD 644 missing"), reply());
        assertEquals(500, client.sendCommand("SITE", "FOO"), reply());
    }

    @Test
    void siteChmodWithoutPosixAttributesIs502() throws Exception {
        EnumSet<Capability> noModes = EnumSet.complementOf(EnumSet.of(Capability.POSIX_ATTRIBUTES,
                Capability.SERVER_SIDE_COPY));
        try (TestServer plain = TestUsers.writable(dir).storage(new MemoryStorage(noModes)).start()) {
            plain.put("/file.txt", new byte[] {1});
            FTPClient other = TestUsers.writer(plain);
            assertEquals(502, other.sendCommand("SITE", "CHMOD 644 file.txt"), other.getReplyString());
            assertEquals(214, other.sendCommand("SITE", "HELP"), other.getReplyString());
            assertFalse(other.getReplyString().contains("CHMOD"), other.getReplyString());
            other.disconnect();
        }
    }

    @Test
    void siteChmodNeedsWritePermission() throws Exception {
        FTPClient anonymous = server.anonymous();
        assertEquals(550, anonymous.sendCommand("SITE", "CHMOD 777 docs/file.txt"), anonymous.getReplyString());
        anonymous.disconnect();
    }

    @Test
    void optsUtf8AndMlst() throws Exception {
        assertEquals(200, client.sendCommand("OPTS", "UTF8 ON"), reply());
        assertEquals(200, client.sendCommand("OPTS", "MLST type;size;"), reply());
        assertEquals("200 MLST OPTS type;size;", reply());
        assertEquals(250, client.sendCommand("MLST", "docs/file.txt"), reply());
        assertEquals(" type=file;size=3; /docs/file.txt", client.getReplyStrings()[1]);
        assertEquals(211, client.sendCommand("FEAT"));
        assertTrue(lines().stream().anyMatch(line -> line.startsWith(" MLST type*;size*;modify;")), lines().toString());
        assertEquals(501, client.sendCommand("OPTS", "FOO BAR"), reply());
    }

    @Test
    void typeStruModeAllo() throws Exception {
        assertEquals(200, client.sendCommand("TYPE", "A"), reply());
        assertEquals(200, client.sendCommand("TYPE", "I"), reply());
        assertEquals(200, client.sendCommand("TYPE", "L 8"), reply());
        assertEquals(200, client.sendCommand("type", "a n"), reply());
        assertEquals(504, client.sendCommand("TYPE", "E"), reply());
        assertEquals(200, client.sendCommand("STRU", "F"), reply());
        assertEquals(504, client.sendCommand("STRU", "R"), reply());
        assertEquals(200, client.sendCommand("MODE", "S"), reply());
        assertEquals(504, client.sendCommand("MODE", "B"), reply());
        assertEquals(202, client.sendCommand("ALLO", "1000"), reply());
    }

    @Test
    void restTakesAByteOffset() throws Exception {
        assertEquals(350, client.sendCommand("REST", "100"), reply());
        assertEquals(501, client.sendCommand("REST", "abc"), reply());
        assertEquals(501, client.sendCommand("REST", "-5"), reply());
        assertEquals(501, client.sendCommand("REST"), reply());
    }

    @Test
    void restAppliesToTheNextCommandOnly() throws Exception {
        client.setRestartOffset(2); // commons-net sends PASV, then REST, then RETR
        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile("docs/file.txt", resumed), reply());
        assertArrayEquals(new byte[] {3}, resumed.toByteArray());
        client.setRestartOffset(0);
        try (RawClient raw = RawClient.anonymous(server.port())) {
            assertEquals(200, raw.command("TYPE I").code());
            assertArrayEquals(new byte[] {3}, download(raw, "REST 2"));
            // RFC 3659 section 5.3: REST must come right before the transfer; an unknown command
            // in between is a command too, so the whole file comes
            assertArrayEquals(new byte[] {1, 2, 3}, download(raw, "REST 2", "XYZZY"));
        }
    }

    /** PASV, then {@code before}, then RETR docs/file.txt: the bytes that arrive. */
    private static byte[] download(RawClient raw, String... before) throws Exception {
        RawClient.Reply pasv = raw.command("PASV");
        assertEquals(227, pasv.code(), pasv.toString());
        String[] numbers = pasv.last().replaceAll(".*\\((.*)\\).*", "$1").split(",");
        int port = Integer.parseInt(numbers[4]) * 256 + Integer.parseInt(numbers[5]);
        try (java.net.Socket data = new java.net.Socket("127.0.0.1", port)) {
            data.setSoTimeout(10_000);
            for (String command : before) {
                assertTrue(raw.command(command).code() < 600);
            }
            RawClient.Reply opening = raw.command("RETR docs/file.txt");
            assertEquals(150, opening.code(), opening.toString());
            byte[] bytes = data.getInputStream().readAllBytes();
            assertEquals(226, raw.reply().code());
            return bytes;
        }
    }
}
