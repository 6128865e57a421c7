package dev.ferry.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TYPE A (RFC 959 section 3.1.1.1) with vsftpd's ascii_upload_enable / ascii_download_enable. The
 * client sends "TYPE A" itself but stays binary locally, so it shows the bytes exactly as sent.
 */
@Timeout(60)
class AsciiModeIT {

    @TempDir
    Path tempDir;

    private static byte[] bytes(String text) {
        return text.getBytes(ISO_8859_1);
    }

    private static FTPClient asciiWriter(TestServer server) throws Exception {
        FTPClient client = Clients.writer(server);
        assertEquals(200, client.sendCommand("TYPE A"), client.getReplyString());
        return client;
    }

    @Test
    void asciiDownloadSendsCrlf() throws Exception {
        try (TestServer server = Clients.writable(tempDir).set("ascii_download_enable", "YES").start()) {
            server.put("/t.txt", bytes("a\nb\r\nc"));
            FTPClient client = asciiWriter(server);
            assertEquals("a\r\nb\r\nc", new String(Clients.retrieve(client, "t.txt"), ISO_8859_1));
            // TYPE I still sends the stored bytes
            assertEquals(200, client.sendCommand("TYPE I"));
            assertEquals("a\nb\r\nc", new String(Clients.retrieve(client, "t.txt"), ISO_8859_1));
            client.disconnect();
        }
    }

    @Test
    void asciiUploadStoresLf() throws Exception {
        try (TestServer server = Clients.writable(tempDir).set("ascii_upload_enable", "YES").start()) {
            FTPClient client = asciiWriter(server);
            assertTrue(client.storeFile("t.txt", new ByteArrayInputStream(bytes("a\r\nb\rc\r\n"))), client.getReplyString());
            assertEquals("a\nb\rc\n", new String(IntegrityIT.stored(server, "/t.txt"), ISO_8859_1));
            assertTrue(client.storeFile("cr.txt", new ByteArrayInputStream(bytes("end\r"))), client.getReplyString());
            assertEquals("end\r", new String(IntegrityIT.stored(server, "/cr.txt"), ISO_8859_1));
            client.disconnect();
        }
    }

    @Test
    void byDefaultTypeALeavesBytesAlone() throws Exception {
        try (TestServer server = Clients.writable(tempDir).start()) {
            server.put("/t.txt", bytes("a\nb\r\nc"));
            FTPClient client = asciiWriter(server);
            assertEquals("a\nb\r\nc", new String(Clients.retrieve(client, "t.txt"), ISO_8859_1));
            assertTrue(client.storeFile("u.txt", new ByteArrayInputStream(bytes("a\r\nb\rc\r\n"))), client.getReplyString());
            assertEquals("a\r\nb\rc\r\n", new String(IntegrityIT.stored(server, "/u.txt"), ISO_8859_1));
            client.disconnect();
        }
    }

    /** A CRLF or LF split at the 64 KiB read buffer of the storage side. */
    @Test
    void downloadAcrossTheBufferBoundary() throws Exception {
        byte[] content = new byte[3 * 65_536 + 10];
        Arrays.fill(content, (byte) 'x');
        content[65_535] = '\r';
        content[65_536] = '\n';        // CRLF split across buffers: stays one CRLF
        content[2 * 65_536] = '\n';    // bare LF first in a buffer, after an 'x': gains a CR
        content[3 * 65_536 - 1] = '\r'; // bare CR last in a buffer, not followed by LF
        try (TestServer server = Clients.writable(tempDir).set("ascii_download_enable", "YES").start()) {
            server.put("/b.txt", content);
            FTPClient client = asciiWriter(server);
            byte[] got = Clients.retrieve(client, "b.txt");
            byte[] expected = new byte[content.length + 1];
            System.arraycopy(content, 0, expected, 0, 2 * 65_536);
            expected[2 * 65_536] = '\r';
            System.arraycopy(content, 2 * 65_536, expected, 2 * 65_536 + 1, content.length - 2 * 65_536);
            assertEquals(Clients.sha256(expected), Clients.sha256(got));
            client.disconnect();
        }
    }

    /** A CR that ends one network read and its LF that starts the next. */
    @Test
    void uploadWithCrLfSplitBetweenReads() throws Exception {
        byte[] first = new byte[65_536];
        Arrays.fill(first, (byte) 'y');
        first[first.length - 1] = '\r';
        try (TestServer server = Clients.writable(tempDir).set("ascii_upload_enable", "YES").start();
             Clients.Raw raw = new Clients.Raw(server)) {
            raw.login();
            raw.command("TYPE A", 200);
            try (Socket data = raw.passive()) {
                raw.command("STOR split.txt", 150);
                OutputStream out = data.getOutputStream();
                out.write(first);
                out.flush();
                // the server reads what has arrived, so the CR ends one of its reads
                Thread.sleep(300);
                out.write(bytes("\nz\r"));
                out.flush();
                Thread.sleep(300);
                out.write(bytes("q"));
            }
            raw.expect(226);
            byte[] expected = new byte[65_536 + 3];
            System.arraycopy(first, 0, expected, 0, 65_535);
            System.arraycopy(bytes("\nz\rq"), 0, expected, 65_535, 4);
            assertArrayEquals(expected, IntegrityIT.stored(server, "/split.txt"));
        }
    }
}
