package dev.ferry.server.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.junit.jupiter.api.Test;

class LsFormatTest {

    static final Instant NOW = Instant.parse("2025-11-24T15:30:00Z");

    static FileInfo file(String name, long size, Instant modified) {
        return FileInfo.file(StoragePath.ROOT.child(name), size, modified);
    }

    static FileInfo dir(String name, Instant modified) {
        return FileInfo.directory(StoragePath.ROOT.child(name), modified);
    }

    static FileInfo withMode(FileInfo info, int mode) {
        return new FileInfo(info.path(), info.type(), info.size(), info.modified(),
                Optional.of(mode), Optional.empty());
    }

    @Test
    void recentDirectoryAndOldFileLookLikeVsftpd() {
        assertEquals("drwxr-xr-x    1 ftp      ftp          4096 Nov 24 12:00 name",
                LsFormat.line(dir("name", Instant.parse("2025-11-24T12:00:00Z")), NOW));
        assertEquals("-rw-r--r--    1 ftp      ftp       1048576 Nov 24  2024 name",
                LsFormat.line(file("name", 1048576, Instant.parse("2024-11-24T12:00:00Z")), NOW));
    }

    @Test
    void columnsGrowForBigSizesAndDaysAreZeroPadded() {
        assertEquals("-rw-r--r--    1 ftp      ftp      12345678901 Mar 04 09:05 big.iso",
                LsFormat.line(file("big.iso", 12_345_678_901L, Instant.parse("2025-03-04T09:05:59Z")),
                        Instant.parse("2025-03-05T00:00:00Z")));
        assertEquals("-rw-r--r--    1 ftp      ftp             0 Jan 01  1970 empty",
                LsFormat.line(file("empty", 0, Instant.EPOCH), NOW));
    }

    @Test
    void sixMonthRuleAtTheBoundary() {
        Instant edge = NOW.minus(LsFormat.RECENT);
        assertEquals("May 26  2025", time(edge));
        assertEquals("May 26 15:30", time(edge.plusSeconds(1)));
        assertEquals("May 26  2025", time(edge.minusSeconds(1)));
        assertEquals("Nov 24 15:30", time(NOW));
        assertEquals("Nov 24 15:29", time(NOW.minusSeconds(1)));
    }

    @Test
    void futureTimesShowTheYearBeyondTheSlack() {
        assertEquals("Nov 24 15:34", time(NOW.plus(Duration.ofMinutes(4))));
        assertEquals("Nov 24 15:35", time(NOW.plus(LsFormat.FUTURE_SLACK)));
        assertEquals("Nov 24  2025", time(NOW.plus(LsFormat.FUTURE_SLACK).plusSeconds(1)));
        assertEquals("Nov 25  2025", time(NOW.plus(Duration.ofDays(1))));
        assertEquals("Jan 01  2031", time(Instant.parse("2031-01-01T00:00:00Z")));
    }

    @Test
    void slackNeverCrossesNewYear() {
        Instant lateDecember = Instant.parse("2025-12-31T23:58:00Z");
        assertEquals("Jan 01  2026", time(Instant.parse("2026-01-01T00:01:00Z"), lateDecember));
        assertEquals("Dec 31 23:59", time(Instant.parse("2025-12-31T23:59:00Z"), lateDecember));
    }

    @Test
    void timesAreUtcAndMonthsEnglishWhateverTheDefaults() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String[] expected = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
            for (int month = 1; month <= 12; month++) {
                Instant t = LocalDate.of(2020, month, 15).atStartOfDay(ZoneOffset.UTC).toInstant();
                assertEquals(expected[month - 1] + " 15  2020", time(t));
            }
        } finally {
            Locale.setDefault(saved);
        }
        // 23:30 UTC is the next day in most of Asia: UTC wins.
        assertEquals("Nov 23 23:30", time(Instant.parse("2025-11-23T23:30:00Z")));
    }

    @Test
    void permissionsFromModeBits() {
        Instant t = NOW.minusSeconds(60);
        assertEquals("drwxr-x---", LsFormat.permissions(withMode(dir("d", t), 0750)));
        assertEquals("drwxrwxrwt", LsFormat.permissions(withMode(dir("tmp", t), 01777)));
        assertEquals("drwxrwx-wT", LsFormat.permissions(withMode(dir("box", t), 01772)));
        assertEquals("-rwsr-xr-x", LsFormat.permissions(withMode(file("suid", 1, t), 04755)));
        assertEquals("-rw-r-S---", LsFormat.permissions(withMode(file("sgid", 1, t), 02640)));
        assertEquals("----------", LsFormat.permissions(withMode(file("none", 1, t), 0)));
        assertEquals("-rw-------    1 ftp      ftp             1 Nov 24 15:29 secret",
                LsFormat.line(withMode(file("secret", 1, t), 0600), NOW));
    }

    @Test
    void namesAreKeptAsIs() {
        Instant t = Instant.parse("2025-11-24T12:00:00Z");
        assertEquals("-rw-r--r--    1 ftp      ftp             5 Nov 24 12:00 my  file with spaces.txt",
                LsFormat.line(file("my  file with spaces.txt", 5, t), NOW));
        assertEquals("-rw-r--r--    1 ftp      ftp             5 Nov 24 12:00 Grüße 日本.txt",
                LsFormat.line(file("Grüße 日本.txt", 5, t), NOW));
        assertEquals("-rw-r--r--    1 ftp      ftp             5 Nov 24 12:00 sub/dir/a.txt",
                LsFormat.line(file("a.txt", 5, t), "sub/dir/a.txt", NOW));
        assertEquals("Grüße 日本.txt", LsFormat.nlst(file("Grüße 日本.txt", 5, t)));
    }

    // Round trips through the parser most Java clients use. Its recent form assumes the current
    // year from the real clock, so these use the real time.

    static UnixFTPEntryParser parser() {
        FTPClientConfig config = new FTPClientConfig(FTPClientConfig.SYST_UNIX);
        config.setServerTimeZoneId("UTC");
        return new UnixFTPEntryParser(config);
    }

    static FTPFile parse(String line) {
        FTPFile parsed = parser().parseFTPEntry(line);
        assertNotNull(parsed, () -> "Commons Net could not parse: " + line);
        return parsed;
    }

    @Test
    void commonsNetReadsRecentFiles() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant modified = now.minus(Duration.ofDays(3)).minus(Duration.ofMinutes(17));
        FTPFile parsed = parse(LsFormat.line(file("report 2025 (final).pdf", 123_456, modified), now));
        assertEquals("report 2025 (final).pdf", parsed.getName());
        assertEquals(123_456, parsed.getSize());
        assertTrue(parsed.isFile());
        assertEquals(modified, parsed.getTimestampInstant());
    }

    @Test
    void commonsNetReadsOldFilesAndDirectories() {
        Instant now = Instant.now();
        Instant modified = Instant.parse("2019-02-03T00:00:00Z");
        FTPFile parsed = parse(LsFormat.line(dir("Grüße 日本", modified.plusSeconds(3600 * 5)), now));
        assertEquals("Grüße 日本", parsed.getName());
        assertTrue(parsed.isDirectory());
        // The year form carries only the date.
        assertEquals(modified, parsed.getTimestampInstant());

        FTPFile file = parse(LsFormat.line(withMode(file("x.bin", 12_345_678_901L, modified), 0640), now));
        assertEquals("x.bin", file.getName());
        assertEquals(12_345_678_901L, file.getSize());
        assertTrue(file.hasPermission(FTPFile.USER_ACCESS, FTPFile.WRITE_PERMISSION));
        assertTrue(file.hasPermission(FTPFile.GROUP_ACCESS, FTPFile.READ_PERMISSION));
        assertTrue(!file.hasPermission(FTPFile.WORLD_ACCESS, FTPFile.READ_PERMISSION));
        assertEquals("ftp", file.getUser());
        assertEquals("ftp", file.getGroup());
    }

    @Test
    void commonsNetKeepsInnerBlanksInNames() {
        Instant now = Instant.now();
        FTPFile parsed = parse(LsFormat.line(file("a  b   c", 1, now.minusSeconds(120)), now));
        assertEquals("a  b   c", parsed.getName());
    }

    private static String time(Instant modified) {
        return time(modified, NOW);
    }

    private static String time(Instant modified, Instant now) {
        StringBuilder out = new StringBuilder();
        LsFormat.appendTime(out, modified, now);
        return out.toString();
    }

    /** One listing's lines keep the last time column: each entry must still show its own time. */
    @Test
    void linesOfOneListingShowEachEntrysOwnTimeAndMode() {
        Instant now = NOW.plusMillis(500); // a bound inside a second
        Instant bound = now.minus(LsFormat.RECENT);
        // one second, on both sides of the six-month bound: the time, then the year
        Instant recent = bound.plusNanos(1);
        Instant old = bound.minusNanos(1);
        assertEquals(recent.getEpochSecond(), old.getEpochSecond(), "the test needs one second");
        LsFormat.Lines lines = new LsFormat.Lines(new LsFormat.Owner("alice", "staff"), now, ZoneOffset.UTC);
        String[] expected = {
            LsFormat.line(file("a", 1, recent), "a", new LsFormat.Owner("alice", "staff"), now),
            LsFormat.line(file("b", 2, old), "b", new LsFormat.Owner("alice", "staff"), now),
            LsFormat.line(withMode(file("c", 3, old), 0600), "c", new LsFormat.Owner("alice", "staff"), now),
            LsFormat.line(withMode(dir("d", old.plusSeconds(60)), 0700), "d", new LsFormat.Owner("alice", "staff"), now),
            LsFormat.line(file("e", 4, old.plusSeconds(60)), "e", new LsFormat.Owner("alice", "staff"), now),
        };
        assertTrue(expected[0].contains(" May 26 15:30 a") && expected[1].contains(" May 26  2025 b"),
                expected[0] + " / " + expected[1]);
        FileInfo[] entries = {file("a", 1, recent), file("b", 2, old), withMode(file("c", 3, old), 0600),
            withMode(dir("d", old.plusSeconds(60)), 0700), file("e", 4, old.plusSeconds(60))};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < entries.length; i++) {
            out.setLength(0);
            lines.append(out, entries[i], entries[i].name());
            assertEquals(expected[i], out.toString());
        }
        assertTrue(expected[2].startsWith("-rw-------") && expected[3].startsWith("drwx------"), expected[2]);
    }
}
