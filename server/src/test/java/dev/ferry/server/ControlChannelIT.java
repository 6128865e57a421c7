package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StoragePath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control connection byte by byte: line ends, line length, telnet commands, UTF-8, idle timeout. */
@Timeout(60)
class ControlChannelIT {

    private static final byte IAC = (byte) 255;
    private static final byte IP = (byte) 244;
    private static final byte DM = (byte) 242;
    private static final byte WILL = (byte) 251;

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestUsers.writable(dir).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient writer() throws Exception {
        RawClient client = RawClient.connect(server.port());
        assertEquals(331, client.command("USER writer").code());
        assertEquals(230, client.command("PASS secret").code());
        return client;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Byte) part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void crlfAndBareLfBothEndALine() throws Exception {
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("NOOP\r\n");
            assertEquals(200, client.reply().code());
            client.send("NOOP\n");
            assertEquals(200, client.reply().code());
            client.send("SYST\nNOOP\r\n");
            assertEquals(215, client.reply().code(), "two commands in one packet");
            assertEquals(200, client.reply().code());
        }
    }

    @Test
    void blankLinesAreIgnored() throws Exception {
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("\r\n\n   \r\nSYST\r\n");
            RawClient.Reply reply = client.reply();
            assertEquals(215, reply.code(), "no reply to blank lines: " + reply);
        }
    }

    @Test
    void verbsAreCaseInsensitive() throws Exception {
        try (RawClient client = writer()) {
            assertEquals(200, client.command("noop").code());
            assertEquals(215, client.command("sYsT").code());
            RawClient.Reply pwd = client.command("xpwd");
            assertEquals("257 \"/\" is the current directory", pwd.last());
        }
    }

    @Test
    void anOverLongLineIs500AndTheSessionGoesOn() throws Exception {
        try (RawClient client = writer()) {
            RawClient.Reply reply = client.command("CWD " + "x".repeat(5000));
            assertEquals(500, reply.code(), reply.toString());
            assertEquals(200, client.command("NOOP").code());
            assertEquals(257, client.command("PWD").code(), "nothing of the long line is left over");
            // a long line then a good one, three times: the count starts again
            for (int i = 0; i < 3; i++) {
                assertEquals(500, client.command("NOOP " + "y".repeat(5000)).code());
                assertEquals(200, client.command("NOOP").code());
            }
        }
    }

    @Test
    void threeOverLongLinesInARowEndWith421ThenTheClose() throws Exception {
        try (RawClient client = RawClient.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(500, client.command("z".repeat(5000)).code());
            }
            RawClient.Reply why = client.reply(); // issue 17: say why before closing
            assertEquals(421, why.code(), why.toString());
            assertEquals("Too many over-long command lines; closing the connection.", why.text());
            assertTrue(client.closedByServer(5_000), "closed after the 421");
        }
    }

    @Test
    void telnetInterruptBeforeAborIsIgnored() throws Exception {
        try (RawClient client = writer()) {
            // what clients send for ABOR (RFC 959 section 4.1.3): IAC IP, IAC DM (the synch), then ABOR
            client.send(bytes(IAC, IP, IAC, DM, "ABOR\r\n"));
            RawClient.Reply reply = client.reply();
            assertEquals(225, reply.code(), reply.toString());
            // option negotiation is dropped too (RFC 854): IAC WILL ECHO
            client.send(bytes(IAC, WILL, (byte) 1, "NOOP\r\n"));
            assertEquals(200, client.reply().code());
            assertEquals(257, client.command("PWD").code());
        }
    }

    /**
     * BSD ftp(1) and its descendants abort with {@code send(IAC IP IAC, MSG_OOB)} then {@code DM ABOR}:
     * TCP marks only the last byte urgent, so a receiver without SO_OOBINLINE loses that IAC and
     * reads {@code IAC IP DM ABOR}. vsftpd turns SO_OOBINLINE on and also accepts the stray DM.
     */
    @Test
    void abortAsBsdFtpSendsItWithUrgentData() throws Exception {
        try (RawClient client = writer()) {
            for (int i = 0; i < 3; i++) {
                client.send(bytes(IAC, IP));
                client.sendUrgent(IAC & 0xff);
                client.send(bytes(DM, "ABOR\r\n"));
                RawClient.Reply reply = client.reply();
                assertEquals(225, reply.code(), "round " + i + ": " + reply);
            }
            assertEquals(200, client.command("NOOP").code());
        }
    }

    @Test
    void iacIacIsTheByte0xFf() throws Exception {
        try (RawClient client = writer()) {
            client.send(bytes("MKD a", IAC, IAC, "b\r\n"));
            RawClient.Reply reply = client.reply();
            assertEquals(257, reply.code(), reply.toString());
            // 0xFF alone is not UTF-8, so the name is read as ISO-8859-1: "a\u00ffb"
            assertEquals("257 \"/a\u00ffb\" created", reply.last());
            assertTrue(server.storage.stat(StoragePath.parse("/a\u00ffb")).isDirectory());
        }
    }

    @Test
    void utf8NamesRoundTrip() throws Exception {
        String name = "\u00e9 \u6f22\u5b57";
        try (RawClient client = writer()) {
            RawClient.Reply mkd = client.command("MKD " + name);
            assertEquals("257 \"/" + name + "\" created", mkd.last());
            assertEquals(250, client.command("CWD " + name).code());
            assertEquals("257 \"/" + name + "\" is the current directory", client.command("PWD").last());
            assertEquals(257, client.command("MKD " + name + ".txt").code());
        }
        assertTrue(server.storage.stat(StoragePath.parse("/" + name + "/" + name + ".txt")).isDirectory());
        FTPClient client = new FTPClient();
        client.setControlEncoding("UTF-8"); // before connect: it picks the control stream's charset
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", server.port());
        assertTrue(client.login("writer", "secret"), client.getReplyString());
        client.enterLocalPassiveMode();
        String[] names = client.listNames("/" + name);
        assertEquals(1, names.length);
        assertEquals("/" + name + "/" + name + ".txt", names[0]);
        client.disconnect();
    }

    @Test
    void idleSessionsAreClosedWith421() throws Exception {
        try (TestServer quick = TestServer.builder().set("idle_session_timeout", "1").start();
             RawClient client = RawClient.anonymous(quick.port())) {
            long start = System.nanoTime();
            client.timeout(10_000);
            RawClient.Reply reply = client.reply();
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals("421 Timeout.", reply.last());
            assertTrue(waited >= 500 && waited < 8_000, waited + " ms");
            assertTrue(client.closedByServer(5_000));
        }
    }

    @Test
    void commandsBeforeTheTimeoutKeepTheSessionAlive() throws Exception {
        try (TestServer quick = TestServer.builder().set("idle_session_timeout", "2").start();
             RawClient client = RawClient.anonymous(quick.port())) {
            for (int i = 0; i < 3; i++) {
                Thread.sleep(1_000);
                assertEquals(200, client.command("NOOP").code(), "round " + i);
            }
            assertFalse(client.closedByServer(200));
        }
    }
}
