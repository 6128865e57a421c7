package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.TlsFixtures.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone over explicit FTPS with the default settings (require_ssl_reuse=YES,
 * ssl_reuse_same_user=YES). rclone (Go crypto/tls) keeps one TLS session cache for all its control
 * connections, so the data connection of one control connection offers a session another one
 * negotiated: accepted because both logged in as alice from the same address. With
 * ssl_reuse_same_user=NO (vsftpd's rule) the same sync fails. Skipped without rclone.
 */
@Timeout(400)
class FtpsRcloneIT {

    @TempDir
    Path disk;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A config file for remote {@code ferry:} (explicit TLS, the test certificate not checked). */
    private Path config() throws Exception {
        Result obscured = TlsFixtures.run(disk, "rclone", "obscure", TlsFixtures.PASSWORD);
        assertEquals(0, obscured.exit(), obscured.output());
        return Files.writeString(disk.resolve("rclone.conf"), """
                [ferry]
                type = ftp
                host = 127.0.0.1
                port = %d
                user = alice
                pass = %s
                explicit_tls = true
                no_check_certificate = true
                """.formatted(server.port(), obscured.output().strip()));
    }

    private Path outgoing() throws Exception {
        Path outgoing = Files.createDirectories(disk.resolve("outgoing"));
        for (int i = 0; i < 52; i++) {
            Path dir = Files.createDirectories(outgoing.resolve("d" + (i % 4)));
            Files.write(dir.resolve("f" + i + ".bin"), Clients.random(i * 9973 + (i % 5 == 0 ? 700_000 : 0), 300 + i));
        }
        return outgoing;
    }

    private Result rclone(Path config, String... arguments) throws Exception {
        // rclone's defaults otherwise: 8 checkers, 3 retries, 10 low-level retries, tls_cache_size 32
        String[] line = new String[arguments.length + 5];
        line[0] = "rclone";
        line[1] = "--config";
        line[2] = config.toString();
        line[3] = "--transfers";
        line[4] = "4";
        System.arraycopy(arguments, 0, line, 5, arguments.length);
        return TlsFixtures.run(disk, line);
    }

    @Test
    void syncUpAndDownWithSessionsSharedBetweenConnections() throws Exception {
        assumeTrue(TlsFixtures.installed("rclone"), "rclone is not installed");
        server = TlsFixtures.server(disk).set("debug_ssl", "YES").start();
        Path config = config();
        Path outgoing = outgoing();
        Path incoming = disk.resolve("incoming");

        CapturedLog tlsLog = new CapturedLog("dev.ferry.server.tls.SessionTls");
        try {
        Result up = rclone(config, "sync", outgoing.toString(), "ferry:many");
        assertEquals(0, up.exit(), up.output());
        // check has no retries of its own; one checker keeps it off the race README's FTPS section
        // describes (a TLS 1.3 ticket one connection used up, offered by another in the first seconds)
        Result upCheck = rclone(config, "check", "--checkers", "1", "--download", outgoing.toString(), "ferry:many");
        assertEquals(0, upCheck.exit(), upCheck.output());
        Result down = rclone(config, "sync", "ferry:many", incoming.toString());
        assertEquals(0, down.exit(), down.output());
        Result downCheck = rclone(config, "check", "--checkers", "1", "--download", "ferry:many", incoming.toString());
        assertEquals(0, downCheck.exit(), downCheck.output());
        for (Result result : new Result[] {up, upCheck, down, downCheck}) {
            assertFalse(result.output().contains("522"), result.output());
        }

        Map<String, String> sent = ExternalClientsIT.checksums(outgoing);
        assertEquals(52, sent.size());
        assertEquals(sent, ExternalClientsIT.checksums(disk.resolve("home/alice/many")));
        assertEquals(sent, ExternalClientsIT.checksums(incoming));
        } finally {
            tlsLog.events().forEach(e -> System.out.println(e.getTimeStamp() + " " + e.getThreadName() + " " + e.getFormattedMessage()));
            tlsLog.close();
        }
    }

    @Test
    void onlyItsOwnSessionIsVsftpdsRuleAndFailsRclone() throws Exception {
        assumeTrue(TlsFixtures.installed("rclone"), "rclone is not installed");
        server = TlsFixtures.server(disk).set("ssl_reuse_same_user", "NO").start();
        Path config = config();
        Result up = rclone(config, "sync", outgoing().toString(), "ferry:many");
        assertNotEquals(0, up.exit(), up.output());
    }
}
