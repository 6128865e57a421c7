package dev.ferry.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The log lines, byte for byte as vsftpd's logging.c writes them. */
class LogFormatsTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    private static long millis(int year, int month, int day, int hour, int minute, int second) {
        return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Test
    void xferlogLineOfACompleteAnonymousDownload() {
        long end = millis(2026, 11, 24, 12, 0, 0);
        TransferRecord record = new TransferRecord(false, "/pub/f.bin", false, 'a', "anonymous@", "ftp",
                "127.0.0.1", 7, end - 300);
        assertEquals("Tue Nov 24 12:00:00 2026 1 127.0.0.1 1048576 /pub/f.bin b _ o a anonymous@ ftp 0 * c",
                LogFormats.xferlog(record, 1_048_576, true, end, UTC));
    }

    @Test
    void xferlogLineOfAnIncompleteAsciiUploadByALocalUserWithASpaceInTheName() {
        long end = millis(2026, 11, 4, 9, 5, 7);
        TransferRecord record = new TransferRecord(true, "/in/my file.txt", true, 'r', "writer", "writer",
                "192.0.2.1", 7, end - 12_400);
        // the day is padded with a space (strftime %e), the seconds are whole seconds elapsed,
        // spaces in the name become '_'
        assertEquals("Wed Nov  4 09:05:07 2026 13 192.0.2.1 42 /in/my_file.txt a _ i r writer ftp 0 * i",
                LogFormats.xferlog(record, 42, false, end, UTC));
    }

    @Test
    void vsftpdFormatLines() {
        Instant now = Instant.ofEpochMilli(millis(2026, 11, 24, 12, 0, 0));
        assertEquals("Tue Nov 24 12:00:00 2026 [pid 3] CONNECT: Client \"127.0.0.1\"",
                LogFormats.vsftpd(new LogFormats.Event(LogFormats.Kind.CONNECT, true, 3, "", "127.0.0.1", "", "", 0, 0),
                        true, now, UTC));
        assertEquals("Tue Nov 24 12:00:00 2026 [pid 3] [ftp] OK LOGIN: Client \"127.0.0.1\", anon password \"me@x\"",
                LogFormats.vsftpd(new LogFormats.Event(LogFormats.Kind.LOGIN, true, 3, "ftp", "127.0.0.1", "me@x", "",
                        0, 0), true, now, UTC));
        assertEquals("[ftp] OK DOWNLOAD: Client \"127.0.0.1\", \"/pub/f.bin\", 1048576 bytes, 512.00Kbyte/sec",
                LogFormats.vsftpd(new LogFormats.Event(LogFormats.Kind.DOWNLOAD, true, 3, "ftp", "127.0.0.1", "",
                        "/pub/f.bin", 1_048_576, 2.0), false, now, UTC));
        assertEquals("[bob] FAIL UPLOAD: Client \"127.0.0.1\", \"/a\", 0.00Kbyte/sec",
                LogFormats.vsftpd(new LogFormats.Event(LogFormats.Kind.UPLOAD, false, 3, "bob", "127.0.0.1", "", "/a",
                        0, 1.0), false, now, UTC));
        assertEquals("[bob] FTP command: Client \"127.0.0.1\", \"CWD \\x0d\\x0ax\"",
                LogFormats.vsftpd(new LogFormats.Event(LogFormats.Kind.FTP_INPUT, true, 3, "bob", "127.0.0.1", "",
                        "CWD \r\nx", 0, 0), false, now, UTC));
    }
}
