package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * use_localtime: LIST, STAT and MDTM in the server's own time zone, as vsftpd shows them; MLST
 * stays UTC (RFC 3659). Ferry runs as its own process in Pacific/Chatham (UTC+12:45 or +13:45),
 * an offset no test machine's zone shares with UTC.
 */
@Timeout(120)
class LocalTimeIT {

    private static final ZoneId ZONE = ZoneId.of("Pacific/Chatham");
    private static final DateTimeFormatter LIST_TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter TIME_VAL = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

    @TempDir
    Path dir;

    @Test
    void listingsAndMdtmShowTheServersZone() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path file = Files.writeString(root.resolve("f.txt"), "time\n");
        // a day ago, so LIST shows the hour and minute (the six-month rule)
        Instant modified = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        Path config = Files.write(dir.resolve("ferry.conf"), List.of("listen_address=127.0.0.1", "listen_port=0",
                "storage=local", "local_storage_root=" + root, "anon_root=" + root, "write_enable=YES",
                "anon_other_write_enable=YES", "use_localtime=YES"));
        try (FerryProcess ferry = FerryProcess.start(config, dir.resolve("ferry.log"),
                List.of("-Duser.timezone=" + ZONE.getId()))) {
            FTPClient client = new FTPClient();
            client.setDefaultTimeout(20_000);
            client.connect("127.0.0.1", ferry.port);
            assertTrue(client.login("anonymous", "test@example.com"), client.getReplyString());
            client.enterLocalPassiveMode();
            String local = LIST_TIME.format(modified.atZone(ZONE));
            assertNotEquals(LIST_TIME.format(modified.atZone(ZoneOffset.UTC)), local, "the zone must differ from UTC");
            // the line as the server sent it: Commons Net's parser would read it in the client's zone
            FTPFile[] files = client.listFiles();
            assertEquals(1, files.length, client.getReplyString());
            assertTrue(files[0].getRawListing().endsWith(" " + local + " f.txt"), files[0].getRawListing());
            assertEquals(213, client.stat("f.txt"), client.getReplyString());
            assertTrue(client.getReplyString().contains(" " + local + " f.txt"), client.getReplyString());
            assertEquals(213, client.sendCommand("MDTM", "f.txt"), client.getReplyString());
            assertEquals("213 " + TIME_VAL.format(modified.atZone(ZONE)), client.getReplyString().strip());
            // MLST's modify fact is UTC whatever use_localtime says
            assertEquals(250, client.sendCommand("MLST", "f.txt"), client.getReplyString());
            assertTrue(client.getReplyString().contains("modify=" + TIME_VAL.format(modified.atZone(ZoneOffset.UTC))),
                    client.getReplyString());
            // vsftpd's setting form of MDTM reads the time in the same zone
            Instant set = Instant.parse("2020-01-15T10:00:00Z");
            assertEquals(213, client.sendCommand("MDTM", TIME_VAL.format(set.atZone(ZONE)) + " f.txt"),
                    client.getReplyString());
            assertEquals(set, Files.getLastModifiedTime(file).toInstant());
            client.disconnect();
        }
    }
}
