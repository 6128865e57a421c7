package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Capability;
import dev.ferry.storage.MemoryStorage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FEAT (RFC 2389) and HELP follow the storage's capabilities: nothing is advertised that fails. */
@Timeout(60)
class FeatIT {

    @TempDir
    Path dir;

    /** The feature lines of a FEAT reply, without the leading space and the first and last lines. */
    private static List<String> features(FTPClient client) throws Exception {
        assertEquals(211, client.sendCommand("FEAT"), client.getReplyString());
        List<String> lines = Arrays.asList(client.getReplyStrings());
        assertEquals("211-Features:", lines.getFirst());
        assertTrue(lines.getLast().startsWith("211 "), lines.toString());
        List<String> middle = lines.subList(1, lines.size() - 1);
        // RFC 2389 section 3.2: each feature line starts with exactly one space
        assertTrue(middle.stream().allMatch(line -> line.startsWith(" ") && !line.startsWith("  ")), middle.toString());
        return middle.stream().map(String::strip).toList();
    }

    private static List<String> helpWords(FTPClient client) throws Exception {
        assertEquals(214, client.sendCommand("HELP"), client.getReplyString());
        List<String> lines = Arrays.asList(client.getReplyStrings());
        return lines.subList(1, lines.size() - 1).stream()
                .flatMap(line -> Arrays.stream(line.strip().split(" +"))).toList();
    }

    @Test
    void featListsWhatAFullStorageCanDo() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            FTPClient client = server.connect(); // FEAT works before login (RFC 2389 section 3)
            List<String> features = features(client);
            for (String feature : List.of("EPRT", "EPSV", "MDTM", "MFMT", "SIZE", "TVFS", "UTF8", "REST STREAM", "PASV")) {
                assertTrue(features.contains(feature), feature + " in " + features);
            }
            String mlst = features.stream().filter(line -> line.startsWith("MLST ")).findFirst().orElseThrow();
            // RFC 3659 section 7.8: facts on by default carry a star
            assertTrue(mlst.matches("MLST ([a-z.]+\\*?;)+"), mlst);
            assertTrue(mlst.contains("type*;") && mlst.contains("size*;") && mlst.contains("modify*;"), mlst);
            assertTrue(client.hasFeature("REST", "STREAM"), "commons-net reads the reply too");
            assertTrue(client.hasFeature("MFMT"));
            client.disconnect();
        }
    }

    @Test
    void featFollowsMissingCapabilities() throws Exception {
        EnumSet<Capability> limited = EnumSet.allOf(Capability.class);
        limited.removeAll(EnumSet.of(Capability.SET_MODIFIED, Capability.RANDOM_READ, Capability.APPEND,
                Capability.SERVER_SIDE_COPY));
        try (TestServer server = TestUsers.writable(dir).storage(new MemoryStorage(limited)).start()) {
            server.put("/file.txt", new byte[] {1, 2, 3});
            FTPClient client = TestUsers.writer(server);
            List<String> features = features(client);
            assertFalse(features.contains("MFMT"), features.toString());
            assertFalse(features.stream().anyMatch(line -> line.startsWith("REST")), features.toString());
            for (String feature : List.of("EPSV", "MDTM", "SIZE", "TVFS", "UTF8")) {
                assertTrue(features.contains(feature), feature + " in " + features);
            }

            assertFalse(client.appendFile("file.txt", new ByteArrayInputStream(new byte[] {4})));
            assertEquals(502, client.getReplyCode(), client.getReplyString());
            assertEquals(502, client.sendCommand("MFMT", "20200101000000 file.txt"), client.getReplyString());
            assertEquals(213, client.sendCommand("SIZE", "file.txt"), "the file is unchanged: " + client.getReplyString());
            assertEquals("213 3", client.getReplyString().strip());

            List<String> verbs = helpWords(client);
            assertFalse(verbs.contains("APPE"), verbs.toString());
            assertFalse(verbs.contains("MFMT"), verbs.toString());
            assertTrue(verbs.contains("STOR") && verbs.contains("MDTM"), verbs.toString());
            assertEquals(501, client.sendCommand("HELP", "APPE"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void featWithoutRenameHidesNothingItNeverShowedButRnfrIs502() throws Exception {
        EnumSet<Capability> noRename = EnumSet.complementOf(EnumSet.of(Capability.RENAME, Capability.RENAME_DIRECTORY,
                Capability.SERVER_SIDE_COPY));
        try (TestServer server = TestUsers.writable(dir).storage(new MemoryStorage(noRename)).start()) {
            server.put("/file.txt", new byte[] {1});
            FTPClient client = TestUsers.writer(server);
            assertEquals(502, client.sendCommand("RNFR", "file.txt"), client.getReplyString());
            List<String> verbs = helpWords(client);
            assertFalse(verbs.contains("RNFR") || verbs.contains("RNTO"), verbs.toString());
            client.disconnect();
        }
    }
}
