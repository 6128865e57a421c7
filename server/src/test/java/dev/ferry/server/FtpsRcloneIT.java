package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.TlsFixtures.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone over explicit FTPS with the defaults require_ssl_reuse=YES and ssl_reuse_same_user=YES. rclone (Go crypto/tls) keeps one TLS session cache for all its control
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
        server = TlsFixtures.server(disk).set("debug_ssl", "YES").start(); // ssl_reuse_same_user=YES: the default
        Path config = config();
        Path outgoing = outgoing();
        Path incoming = disk.resolve("incoming");
        try (CapturedLog tls = new CapturedLog("dev.ferry.server.tls.SessionTls")) {
            succeeds(tls, rclone(config, "sync", outgoing.toString(), "ferry:many"));
            // check has no retries of its own: a refused data connection fails it
            succeeds(tls, rclone(config, "check", "--download", outgoing.toString(), "ferry:many"));
            succeeds(tls, rclone(config, "sync", "ferry:many", incoming.toString()));
            succeeds(tls, rclone(config, "check", "--download", "ferry:many", incoming.toString()));
            List<String> lines = tls.messages();
            assertTrue(lines.stream().anyMatch(line -> line.contains("resumed the session of another control connection "
                    + "of the same user")), "rclone's data connections resumed other connections' sessions");
            assertFalse(lines.stream().anyMatch(line -> line.startsWith("TLS data handshake failed")), String.join("\n", lines));
        }
        Map<String, String> sent = ExternalClientsIT.checksums(outgoing);
        assertEquals(52, sent.size());
        assertEquals(sent, ExternalClientsIT.checksums(disk.resolve("home/alice/many")));
        assertEquals(sent, ExternalClientsIT.checksums(incoming));
    }

    /** A 522 reply as rclone prints it ("522 SSL connection failed..."), not the digits inside a temp path. */
    private static final Pattern REPLY_522 = Pattern.compile("(?<!\\d)522[ -]");

    /** Exit 0 and no 522 on the way (rclone retries quietly); otherwise rclone's output and the server's TLS story. */
    private static void succeeds(CapturedLog tls, Result result) {
        if (result.exit() != 0 || REPLY_522.matcher(result.output()).find()) {
            List<String> lines = tls.messages();
            fail(result.output() + "\n--- debug_ssl, last lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
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
