package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bench.Measurement.Better;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void tableIsPaddedMarkdown() {
        String text = new MarkdownTable("a", "long header").row("x|y", "1").render();
        assertEquals("""
                | a    | long header |
                | ---- | ----------- |
                | x\\|y | 1           |
                """, text);
    }

    @Test
    void rowWidthMustMatchHeader() {
        assertThrows(IllegalArgumentException.class, () -> new MarkdownTable("a", "b").row("only one"));
    }

    @Test
    void figuresKeepThreeSignificantDigits() {
        assertEquals("1,235", Figures.number(1234.6));
        assertEquals("12.3", Figures.number(12.34));
        assertEquals("1.23", Figures.number(1.234));
        assertEquals("0.123", Figures.number(0.1234));
        assertEquals("n/a", Figures.number(Double.NaN));
        assertEquals("2.00×", Figures.ratio(4, 2));
        assertEquals("n/a", Figures.ratio(4, 0));
        assertEquals("10 MiB", Figures.size(10L << 20));
        assertEquals("4 KiB", Figures.size(4096));
        assertEquals("1 GiB", Figures.size(1L << 30));
    }

    @Test
    void goalsAreRatiosAgainstTheBaselineAndAbsoluteBounds() {
        Goal memory = Goal.of(Servers.FTPSERVER, "idle sessions", "heap bytes/session").orElseThrow();
        assertTrue(memory.met(10_000, 12_000));
        assertFalse(memory.met(10_000, 9_000), "more than the baseline");
        assertFalse(memory.met(25_000, 30_000), "over 20 kB");
        Goal aggregate = Goal.of(Servers.FTPSERVER, "RETR 10 MiB, N=500", "aggregate MB/s").orElseThrow();
        assertTrue(aggregate.met(500, 100));
        assertFalse(aggregate.met(499, 100));
        assertFalse(aggregate.met(Double.NaN, 100));
        assertTrue(Goal.of(Servers.FTPSERVER, "RETR 10 MiB, N=10", "aggregate MB/s").isEmpty());
        Goal single = Goal.of(Vsftpd.NAME, "RETR 10 MiB, N=1", "aggregate MB/s").orElseThrow();
        assertTrue(single.met(100, 100));
        assertTrue(Goal.of(Vsftpd.NAME, "RETR 10 MiB, N=10", "aggregate MB/s").isEmpty(),
                "N=1 is not N=10");
        Goal p99 = Goal.of(Vsftpd.NAME, "RETR 10 MiB, N=500", "p99 ms").orElseThrow();
        assertTrue(p99.met(90, 100));
        assertFalse(p99.met(110, 100));
    }

    @Test
    void reportPutsRatioTargetAndVerdictInEachRow() {
        LoadReport report = new LoadReport();
        report.add("ferry-local", List.of(new Measurement("connect + login + QUIT, 50 workers", "logins/s", 300,
                Better.HIGHER)));
        report.add("ftpserver", List.of(new Measurement("connect + login + QUIT, 50 workers", "logins/s", 200,
                Better.HIGHER)));
        String text = report.table().render();
        assertTrue(text.contains("ferry-local ÷ ftpserver"), text);
        assertTrue(text.contains("| 1.50× "), text);
        assertTrue(text.contains("| ≥ 1× "), text);
        assertTrue(text.contains("| yes "), text);
    }

    @Test
    void peersRowsCompareWithTheBestCServerOfEachRow() {
        LoadReport report = new LoadReport();
        report.add("ferry-local", List.of(
                new Measurement("RETR 10 MiB, N=1", "aggregate MB/s", 300, Better.HIGHER),
                new Measurement("LIST of 10,000 files", "warm median ms", 40, Better.LOWER),
                new Measurement("MLSD of 10,000 files", "warm median ms", 60, Better.LOWER)));
        report.add("vsftpd", List.of(
                new Measurement("RETR 10 MiB, N=1", "aggregate MB/s", 400, Better.HIGHER),
                new Measurement("LIST of 10,000 files", "warm median ms", 50, Better.LOWER)));
        report.add("pure-ftpd", List.of(
                new Measurement("RETR 10 MiB, N=1", "aggregate MB/s", 600, Better.HIGHER),
                new Measurement("LIST of 10,000 files", "warm median ms", 30, Better.LOWER),
                new Measurement("MLSD of 10,000 files", "warm median ms", 20, Better.LOWER)));
        report.add("ftpserver", List.of(new Measurement("RETR 10 MiB, N=1", "aggregate MB/s", 100, Better.HIGHER)));
        report.skip("proftpd", "proftpd is neither in /usr/sbin nor in peers/usr/sbin");
        String text = report.table().render();
        assertTrue(text.contains("ferry-local ÷ best C"), text);
        assertTrue(text.contains("ferry-local ÷ ftpserver"), text);
        String retr = line(text, "RETR 10 MiB");
        assertTrue(retr.matches(".*\\| 0\\.500× \\(pure-ftpd\\) +\\| 3\\.00× .*"), "against the faster peer: " + retr);
        assertTrue(line(text, "LIST of").contains("| 1.33× (pure-ftpd) "), "LIST: lower is better: " + text);
        String list = line(text, "LIST of");
        assertTrue(list.contains("≤ vsftpd") && list.endsWith("| yes |"), "40 ms against vsftpd's 50: " + list);
        String mlsd = line(text, "MLSD of");
        assertTrue(mlsd.contains("≤ vsftpd's LIST") && mlsd.endsWith("| no  |"), "60 against vsftpd's LIST 50: " + mlsd);
        assertTrue(line(text, "RETR 10 MiB").endsWith("| no  |"), text);
        assertTrue(report.notes().contains("proftpd was skipped: proftpd is neither"), report.notes());
        report.failed("pure-ftpd", "stor", "java.io.IOException: STOR refused");
        assertTrue(report.notes().contains("pure-ftpd: stor failed: java.io.IOException: STOR refused"),
                report.notes());
    }

    private static String line(String table, String start) {
        return table.lines().filter(l -> l.startsWith("| " + start)).findFirst().orElseThrow().strip();
    }

    @Test
    void smapsRollupGivesBytes() {
        MemorySample sample = MemorySample.parseRollup(List.of("55d0-7ffd ---p 00000000 00:00 0 [rollup]",
                "Rss:              123456 kB", "Pss:              120000 kB", "Pss_Anon:  1 kB"));
        assertEquals(123456 * 1024.0, sample.rss());
        assertEquals(120000 * 1024.0, sample.pss());
        assertTrue(Double.isNaN(sample.heapUsed()));
        MemorySample back = MemorySample.fromLine(new MemorySample(1, 2, 3, 4).toLine());
        assertEquals(new MemorySample(1, 2, 3, 4), back);
    }

    @Test
    void optionsHaveDefaultsAndRefuseUnknownNames() {
        LoadOptions defaults = LoadOptions.parse();
        assertEquals(List.of("ferry-local", "ftpserver"), defaults.targets());
        assertEquals(List.of(1, 10, 100, 500), defaults.sessions());
        assertEquals(10_000, defaults.idleSessions());
        assertEquals(List.of("ferry-memory"), LoadOptions.parse("--targets", "ferry-memory").targets());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--scenarios", "nope"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--targets", "none"));
        assertEquals(List.of("ferry-local", "ferry-nofsync", "vsftpd", "pure-ftpd", "proftpd", "ftpserver"),
                LoadOptions.parse("--targets", "all").targets());
        assertEquals(500, defaults.idlePeerSessions());
        assertEquals(java.nio.file.Path.of("p"), LoadOptions.parse("--peers", "p").peers());
    }

    @Test
    void vsftpdRunsInTheForegroundOnItsPortServingTheFixtures() {
        List<String> config = Vsftpd.configuration(java.nio.file.Path.of("/srv/fixtures"),
                java.nio.file.Path.of("/tmp/x/empty"), 2121);
        assertTrue(config.containsAll(List.of("listen=YES", "background=NO", "listen_address=127.0.0.1",
                "listen_port=2121", "anon_root=/srv/fixtures", "secure_chroot_dir=/tmp/x/empty",
                "anon_upload_enable=YES", "write_enable=YES")), config.toString());
        assertEquals(java.nio.file.Path.of("prof"), LoadOptions.parse("--jfr", "prof").jfr());
        assertTrue(LoadOptions.parse().jfr() == null);
    }

    @Test
    void pureFtpdAndProftpdRunInTheForegroundOnLoopbackServingTheFixtures() throws Exception {
        FtpAccount ftp = new FtpAccount("ftp", java.nio.file.Path.of("/srv/ftp"), "ftp");
        List<String> pure = new PureFtpd().command(java.nio.file.Path.of("/usr/sbin/pure-ftpd"),
                java.nio.file.Path.of("/srv/fixtures"), java.nio.file.Path.of("/tmp/x"), 2121, ftp);
        assertEquals("unshare", pure.getFirst());
        assertTrue(pure.containsAll(List.of("/srv/fixtures", "/srv/ftp", "/usr/sbin/pure-ftpd", "127.0.0.1,2121",
                "--anonymousonly", "20000:5")), pure.toString());
        assertFalse(pure.contains("--daemonize"), pure.toString());
        List<String> pro = Proftpd.configuration(java.nio.file.Path.of("/srv/fixtures"),
                java.nio.file.Path.of("/tmp/x"), 2122, ftp);
        assertTrue(pro.containsAll(List.of("Port 2122", "DefaultAddress 127.0.0.1", "<Anonymous /srv/fixtures>",
                "DelayEngine off", "UseReverseDNS off", "  UserAlias anonymous ftp")), pro.toString());
        assertEquals(List.of("vsftpd", "pure-ftpd", "proftpd"), PeerServer.names());
    }

    @Test
    void onlyLoopbackIsAnExternalTarget() {
        assertTrue(LoadTool.isLoopback("127.0.0.1:21"));
        assertTrue(LoadTool.isLoopback("localhost:2121"));
        assertTrue(LoadTool.isLoopback("[::1]:21"));
        assertFalse(LoadTool.isLoopback("10.0.0.5:21"));
        assertFalse(LoadTool.isLoopback("example.com:21"));
    }
}
