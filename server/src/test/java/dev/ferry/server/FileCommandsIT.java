package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** MKD RMD DELE RNFR RNTO SIZE MDTM MFMT MLST (RFC 959 section 4.1.3, RFC 3659, draft-somers-ftp-mfxx). */
@Timeout(60)
class FileCommandsIT {

    private static final byte[] FIVE = "hello".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    TestServer server;
    FTPClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestUsers.writable(dir).start();
        server.put("/docs/file.txt", FIVE);
        server.put("/full/inner.txt", new byte[] {1});
        server.storage.createDirectory(StoragePath.parse("/empty"));
        client = TestUsers.writer(server);
    }

    @AfterEach
    void stop() throws Exception {
        client.disconnect();
        server.close();
    }

    private String reply() {
        return client.getReplyString().strip();
    }

    private boolean exists(String path) {
        try {
            server.storage.stat(StoragePath.parse(path));
            return true;
        } catch (StorageException e) {
            return false;
        }
    }

    @Test
    void mkdRepliesWithTheQuotedAbsolutePath() throws Exception {
        assertEquals(257, client.sendCommand("MKD", "made"), reply());
        assertEquals("257 \"/made\" created", reply());
        assertEquals(257, client.sendCommand("XMKD", "made/sub"), reply());
        assertEquals("257 \"/made/sub\" created", reply());
        assertEquals(250, client.sendCommand("CWD", "made"));
        assertEquals(257, client.sendCommand("MKD", "rel"), reply());
        assertEquals("257 \"/made/rel\" created", reply());
        assertEquals(257, client.sendCommand("MKD", "q\"uote"), reply());
        assertEquals("257 \"/made/q\"\"uote\" created", reply());
        assertTrue(server.storage.stat(StoragePath.parse("/made/sub")).isDirectory());
        assertTrue(server.storage.stat(StoragePath.parse("/made/q\"uote")).isDirectory());
        assertEquals(550, client.sendCommand("MKD", "/made"), "exists: " + reply());
        assertEquals(550, client.sendCommand("MKD", "/nothere/sub"), "no parent: " + reply());
    }

    @Test
    void rmdRemovesOnlyEmptyDirectories() throws Exception {
        assertEquals(550, client.sendCommand("RMD", "full"), reply());
        assertTrue(exists("/full/inner.txt"));
        assertEquals(550, client.sendCommand("RMD", "docs/file.txt"), "RMD of a file: " + reply());
        assertTrue(exists("/docs/file.txt"));
        assertEquals(250, client.sendCommand("XRMD", "empty"), reply());
        assertEquals("250 Remove directory operation successful.", reply());
        assertTrue(!exists("/empty"));
        assertEquals(550, client.sendCommand("RMD", "empty"), "gone: " + reply());
        assertEquals(550, client.sendCommand("RMD", "/"), "the root stays: " + reply());
    }

    @Test
    void deleRemovesFilesNotDirectories() throws Exception {
        assertEquals(550, client.sendCommand("DELE", "empty"), reply());
        assertTrue(exists("/empty"));
        assertEquals(250, client.sendCommand("DELE", "docs/file.txt"), reply());
        assertEquals("250 Delete operation successful.", reply());
        assertTrue(!exists("/docs/file.txt"));
        assertEquals(550, client.sendCommand("DELE", "docs/file.txt"), reply());
    }

    @Test
    void renameMovesFilesAndDirectories() throws Exception {
        assertEquals(350, client.sendCommand("RNFR", "docs/file.txt"), reply());
        assertEquals(250, client.sendCommand("RNTO", "/moved.txt"), reply());
        assertEquals("250 Rename successful.", reply());
        assertTrue(exists("/moved.txt"));
        assertTrue(!exists("/docs/file.txt"));
        assertTrue(client.rename("full", "renamed"), reply());
        assertTrue(exists("/renamed/inner.txt"));
    }

    @Test
    void rntoNeedsRnfrRightBefore() throws Exception {
        assertEquals(503, client.sendCommand("RNTO", "x.txt"), reply());
        assertEquals(550, client.sendCommand("RNFR", "missing.txt"), reply());
        assertEquals(503, client.sendCommand("RNTO", "x.txt"), "a failed RNFR arms nothing: " + reply());
        assertEquals(350, client.sendCommand("RNFR", "docs/file.txt"), reply());
        assertEquals(200, client.sendCommand("NOOP"));
        assertEquals(503, client.sendCommand("RNTO", "x.txt"), "RNFR applies to the next command only: " + reply());
        assertTrue(exists("/docs/file.txt"));
        assertTrue(!exists("/x.txt"));
    }

    @Test
    void anUnknownCommandBetweenRnfrAndRntoCancelsTheRename() throws Exception {
        assertEquals(350, client.sendCommand("RNFR", "docs/file.txt"), reply());
        assertEquals(500, client.sendCommand("XYZZY"), reply());
        assertEquals(503, client.sendCommand("RNTO", "x.txt"), reply());
        assertTrue(exists("/docs/file.txt"));
        assertTrue(!exists("/x.txt"));
    }

    @Test
    void sizeOfFilesOnly() throws Exception {
        assertEquals(213, client.sendCommand("SIZE", "docs/file.txt"), reply());
        assertEquals("213 5", reply());
        assertEquals(550, client.sendCommand("SIZE", "docs"), reply());
        assertEquals(550, client.sendCommand("SIZE", "missing"), reply());
        assertEquals(501, client.sendCommand("SIZE"), reply());
    }

    @Test
    void mdtmShowsUtcTime() throws Exception {
        server.storage.setModified(StoragePath.parse("/docs/file.txt"), Instant.parse("2020-01-02T03:04:05Z"));
        assertEquals(213, client.sendCommand("MDTM", "docs/file.txt"), reply());
        assertEquals("213 20200102030405", reply());
        assertEquals(550, client.sendCommand("MDTM", "missing"), reply());
    }

    @Test
    void mfmtSetsTheTimeMdtmShows() throws Exception {
        assertEquals(213, client.sendCommand("MFMT", "20210304050607 docs/file.txt"), reply());
        assertEquals("213 Modify=20210304050607; docs/file.txt", reply());
        assertEquals(213, client.sendCommand("MDTM", "docs/file.txt"), reply());
        assertEquals("213 20210304050607", reply());
        assertEquals(Instant.parse("2021-03-04T05:06:07Z"),
                server.storage.stat(StoragePath.parse("/docs/file.txt")).modified());
        assertEquals(501, client.sendCommand("MFMT", "yesterday docs/file.txt"), reply());
        assertEquals(501, client.sendCommand("MFMT", "20211304050607 docs/file.txt"), "month 13: " + reply());
        assertEquals(550, client.sendCommand("MFMT", "20210304050607 missing"), reply());
    }

    @Test
    void mlstGivesFactsOnAnIndentedLine() throws Exception {
        assertEquals(250, client.sendCommand("MLST", "docs/file.txt"), reply());
        String[] lines = client.getReplyStrings();
        assertEquals(3, lines.length, String.join("|", lines));
        assertTrue(lines[0].startsWith("250-"), lines[0]);
        assertTrue(lines[1].startsWith(" "), "RFC 3659 section 7.2: the entry line starts with a space: " + lines[1]);
        assertTrue(lines[1].contains("type=file;"), lines[1]);
        assertTrue(lines[1].contains("size=5;"), lines[1]);
        assertTrue(lines[1].endsWith(" /docs/file.txt"), lines[1]);
        assertTrue(lines[2].startsWith("250 "), lines[2]);
        FTPFile file = client.mlistFile("docs/file.txt");
        assertNotNull(file, reply());
        assertEquals(5, file.getSize());
        assertTrue(file.isFile());
        assertEquals(250, client.sendCommand("MLST", "docs"));
        assertTrue(client.getReplyStrings()[1].contains("type=dir;"), reply());
        assertEquals(550, client.sendCommand("MLST", "missing"), reply());
    }

    @Test
    void dotNamesCannotBeCreated() throws Exception {
        // "." and ".." name directories that exist already, never new entries
        assertEquals(550, client.sendCommand("MKD", ".."), reply());
        assertEquals(550, client.sendCommand("MKD", "docs/."), reply());
        assertEquals(550, client.sendCommand("DELE", "docs/.."), reply());
        assertTrue(exists("/docs/file.txt"));
    }
}
