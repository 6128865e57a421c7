package dev.ferry.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** REST (RFC 3659 section 5), APPE and STOU (RFC 959 section 4.1.3, RFC 1123 section 4.1.2.9). */
@Timeout(60)
class ResumeIT {

    private static final Pattern STOU_NAME = Pattern.compile("^150 FILE: (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path tempDir;

    @Test
    void restThenRetrSendsTheTail() throws Exception {
        byte[] content = Clients.random(300_000, 21);
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/f.bin", content);
            FTPClient client = Clients.writer(server);
            for (int offset : new int[] {1, 65_536, 123_457, content.length - 1, content.length}) {
                client.setRestartOffset(offset);
                byte[] tail = Clients.retrieve(client, "f.bin");
                assertEquals(Clients.sha256(Arrays.copyOfRange(content, offset, content.length)), Clients.sha256(tail),
                        "offset " + offset);
            }
            // REST applies to the next transfer only
            assertEquals(Clients.sha256(content), Clients.sha256(Clients.retrieve(client, "f.bin")));
            client.disconnect();
        }
    }

    @Test
    void restBeyondTheEndIs554() throws Exception {
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/f.bin", Clients.random(1_000, 22));
            FTPClient client = Clients.writer(server);
            client.setRestartOffset(1_001);
            assertFalse(client.retrieveFile("f.bin", OutputStream.nullOutputStream()));
            assertEquals(554, client.getReplyCode(), client.getReplyString());
            client.setRestartOffset(0);
            assertEquals(1_000, Clients.retrieve(client, "f.bin").length);
            client.disconnect();
        }
    }

    @Test
    void restThenStorCompletesAPartialUpload() throws Exception {
        byte[] whole = Clients.random(1_500_000, 23);
        int cut = 654_321;
        try (TestServer server = Clients.writable(tempDir).start()) {
            FTPClient client = Clients.writer(server);
            assertTrue(client.storeFile("big.bin", new ByteArrayInputStream(whole, 0, cut)), client.getReplyString());
            // what a resuming client does: ask how much arrived, then send the rest from there
            assertEquals(213, client.sendCommand("SIZE big.bin"));
            long have = Long.parseLong(client.getReplyString().trim().substring(4));
            assertEquals(cut, have);
            client.setRestartOffset(have);
            assertTrue(client.storeFile("big.bin", new ByteArrayInputStream(whole, cut, whole.length - cut)),
                    client.getReplyString());
            assertEquals(Clients.sha256(whole), Clients.sha256(IntegrityIT.stored(server, "/big.bin")));
            assertEquals(Clients.sha256(whole), Clients.sha256(Clients.retrieve(client, "big.bin")));
            client.disconnect();
        }
    }

    /** RFC 3659 section 5.5: a REST position the file does not reach is 554, for STOR as for RETR. */
    @Test
    void restBeyondTheEndBeforeStorIs554() throws Exception {
        byte[] content = Clients.random(1_000, 24);
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/f.bin", content);
            FTPClient client = Clients.writer(server);
            client.setRestartOffset(5_000);
            assertFalse(client.storeFile("f.bin", new ByteArrayInputStream(new byte[10])));
            assertEquals(554, client.getReplyCode(), client.getReplyString());
            client.setRestartOffset(10);
            assertFalse(client.storeFile("missing.bin", new ByteArrayInputStream(new byte[10])));
            assertEquals(554, client.getReplyCode(), client.getReplyString());
            client.setRestartOffset(0);
            assertArrayEquals(content, Clients.retrieve(client, "f.bin"));
            assertEquals(550, client.sendCommand("SIZE missing.bin"), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void appeAppendsAndCreates() throws Exception {
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/log.txt", "abc".getBytes(US_ASCII));
            FTPClient client = Clients.writer(server);
            assertTrue(client.appendFile("log.txt", new ByteArrayInputStream("def".getBytes(US_ASCII))),
                    client.getReplyString());
            assertEquals("abcdef", new String(IntegrityIT.stored(server, "/log.txt"), US_ASCII));
            assertTrue(client.appendFile("new.txt", new ByteArrayInputStream("first".getBytes(US_ASCII))),
                    client.getReplyString());
            assertEquals("first", new String(IntegrityIT.stored(server, "/new.txt"), US_ASCII));
            client.disconnect();
        }
    }

    @Test
    void stouNamesTheFileIn150AndNeverReusesAName() throws Exception {
        try (TestServer server = Clients.writable(tempDir).start()) {
            FTPClient client = Clients.writer(server);
            byte[] one = "one".getBytes(US_ASCII);
            byte[] two = "two".getBytes(US_ASCII);
            String first = stou(client, one);
            String second = stou(client, two);
            assertNotEquals(first, second);
            assertArrayEquals(one, Clients.retrieve(client, first));
            assertArrayEquals(two, Clients.retrieve(client, second));
            List<String> names = Arrays.asList(client.listNames());
            assertTrue(names.containsAll(List.of(first, second)), names.toString());
            client.disconnect();
        }
    }

    private static String stou(FTPClient client, byte[] content) throws Exception {
        OutputStream out = client.storeUniqueFileStream();
        assertNotNull(out, client.getReplyString());
        Matcher name = STOU_NAME.matcher(client.getReplyString().trim());
        assertTrue(name.find(), client.getReplyString());
        out.write(content);
        out.close();
        assertTrue(client.completePendingCommand(), client.getReplyString());
        assertEquals(226, client.getReplyCode());
        return name.group(1);
    }
}
