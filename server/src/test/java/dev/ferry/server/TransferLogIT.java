package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.server.log.ActivityLog;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** xferlog_file, vsftpd_log_file, dual_log_enable, log_ftp_protocol and syslog_enable with real clients. */
@Timeout(60)
class TransferLogIT {

    private static final String DATE = "[A-Z][a-z]{2} [A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}";

    @TempDir
    Path tempDir;

    /** The lines of {@code file} once one matches {@code until} (the writer is asynchronous). */
    private static List<String> await(Path file, Predicate<String> until) throws Exception {
        List<String> lines = List.of();
        for (int i = 0; i < 200; i++) {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.stream().anyMatch(until)) {
                return lines;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no matching line in " + file + ": " + lines);
    }

    @Test
    void xferlogStdFormatWritesWuFtpdLines() throws Exception {
        Path xferlog = tempDir.resolve("xferlog");
        try (TestServer server = Clients.writable(tempDir).set("xferlog_enable", "YES")
                .set("xferlog_std_format", "YES").set("xferlog_file", xferlog.toString())
                .set("vsftpd_log_file", tempDir.resolve("never.log").toString()).start()) {
            server.put("/pub/f.bin", new byte[1_048_576]);
            FTPClient anonymous = server.anonymous();
            Clients.retrieve(anonymous, "/pub/f.bin");
            FTPClient writer = Clients.writer(server);
            assertTrue(writer.storeFile("my file.bin", new ByteArrayInputStream(new byte[42])));
            List<String> lines = await(xferlog, line -> line.contains(" i r writer "));
            lines = await(xferlog, line -> line.contains(" o a "));
            assertEquals(2, lines.size(), lines.toString());
            // each transfer's line is queued once it has replied: the two may come in either order
            assertTrue(has(lines, DATE + " \\d+ 127\\.0\\.0\\.1 1048576 /pub/f\\.bin b _ o a test@example\\.com ftp 0 \\* c"),
                    lines.toString());
            assertTrue(has(lines, DATE + " \\d+ 127\\.0\\.0\\.1 42 /my_file\\.bin b _ i r writer ftp 0 \\* c"),
                    lines.toString());
            // only the xferlog: vsftpd_log_file is not written without dual_log_enable
            assertFalse(Files.exists(tempDir.resolve("never.log")));
            anonymous.disconnect();
            writer.disconnect();
        }
    }

    @Test
    void anAbortedDownloadIsLoggedIncomplete() throws Exception {
        Path xferlog = tempDir.resolve("xferlog");
        try (TestServer server = TestServer.builder().set("xferlog_enable", "YES").set("xferlog_std_format", "YES")
                .set("xferlog_file", xferlog.toString()).set("anon_max_rate", "1000000").start()) {
            server.put("/big.bin", new byte[8_000_000]);
            FTPClient client = server.anonymous();
            InputStream in = client.retrieveFileStream("big.bin");
            assertTrue(in.read(new byte[1000]) > 0);
            client.abort(); // 426 for the transfer, then 226 for the ABOR
            in.close();
            List<String> lines = await(xferlog, line -> line.endsWith(" i"));
            assertTrue(lines.get(0).matches(DATE + " \\d+ 127\\.0\\.0\\.1 \\d+ /big\\.bin b _ o a test@example\\.com ftp 0 \\* i"),
                    lines.get(0));
            client.disconnect();
        }
    }

    @Test
    void dualLogWithProtocolLoggingMasksThePassword() throws Exception {
        Path xferlog = tempDir.resolve("xferlog");
        Path vsftpdLog = tempDir.resolve("vsftpd.log");
        try (TestServer server = Clients.writable(tempDir).set("dual_log_enable", "YES").set("log_ftp_protocol", "YES")
                .set("xferlog_file", xferlog.toString()).set("vsftpd_log_file", vsftpdLog.toString()).start()) {
            server.put("/f.bin", new byte[100]);
            FTPClient client = Clients.writer(server);
            Clients.retrieve(client, "f.bin");
            assertTrue(client.makeDirectory("new dir"));
            client.logout();
            client.disconnect();
            List<String> lines = await(vsftpdLog, line -> line.contains("\"221 Goodbye.\""));
            String all = String.join("\n", lines);
            assertFalse(all.contains(Clients.PASSWORD), "the password was logged");
            String prefix = DATE + " \\[pid \\d+\\] ";
            assertTrue(lines.getFirst().matches(prefix + "CONNECT: Client \"127\\.0\\.0\\.1\""), lines.getFirst());
            assertTrue(has(lines, prefix + "\\[writer\\] FTP command: Client \"127\\.0\\.0\\.1\", \"PASS <password>\""), all);
            assertTrue(has(lines, prefix + "\\[writer\\] OK LOGIN: Client \"127\\.0\\.0\\.1\""), all);
            assertTrue(has(lines, prefix + "\\[writer\\] FTP response: Client \"127\\.0\\.0\\.1\", \"230 Login successful\\.\""), all);
            assertTrue(has(lines, prefix + "\\[writer\\] OK DOWNLOAD: Client \"127\\.0\\.0\\.1\", \"/f\\.bin\", 100 bytes, [\\d.]+Kbyte/sec"), all);
            assertTrue(has(lines, prefix + "\\[writer\\] OK MKDIR: Client \"127\\.0\\.0\\.1\", \"/new dir\""), all);
            List<String> xfer = await(xferlog, line -> line.contains("/f.bin"));
            assertEquals(1, xfer.size(), xfer.toString());
        }
    }

    @Test
    void syslogEnableSendsVsftpdLinesToTheSyslogLogger() throws Exception {
        try (LogCapture syslog = new LogCapture(ActivityLog.SYSLOG_LOGGER);
             TestServer server = Clients.writable(tempDir).set("syslog_enable", "YES").start()) {
            FTPClient client = server.connect();
            assertFalse(client.login(Clients.USER, "wrong"));
            assertTrue(client.login("anonymous", "me@example.com"));
            client.disconnect();
            List<String> lines = List.of();
            for (int i = 0; i < 100 && lines.size() < 3; i++) {
                lines = syslog.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
                Thread.sleep(20);
            }
            // no date or pid in syslog lines: syslog adds its own
            assertEquals(List.of("CONNECT: Client \"127.0.0.1\"", "[writer] FAIL LOGIN: Client \"127.0.0.1\"",
                    "[ftp] OK LOGIN: Client \"127.0.0.1\", anon password \"me@example.com\""), lines);
            assertEquals("WARN", syslog.events().get(1).getLevel().toString(), "a failed login is severe");
        }
    }

    private static boolean has(List<String> lines, String regex) {
        return lines.stream().anyMatch(line -> line.matches(regex));
    }
}
