package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.transfer.Transfer;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a transfer cut by a stop is logged with what its client read, the stop's 421, not the
 * 426 the transfer would have sent on a connection already closed.
 */
@Timeout(60)
class ShutdownLogIT {

    @TempDir
    Path tempDir;

    @Test
    void aTransferCutByAStopIsLoggedWithThe421TheClientRead() throws Exception {
        Path json = tempDir.resolve("ferry.json");
        TestServer server = Clients.writable(tempDir).set("json_log_enable", "YES")
                .set("json_log_file", json.toString()).start();
        try (CapturedLog transfers = new CapturedLog(Transfer.class.getName());
             Clients.Raw raw = new Clients.Raw(server)) {
            server.put("/big.bin", new byte[64 * 1024 * 1024]); // more than socket buffers: it cannot finish unread
            raw.login();
            try (Socket data = raw.passive()) {
                raw.command("RETR big.bin", 150);
                assertTrue(data.getInputStream().read() >= 0);
                server.server.stop(Duration.ofMillis(300)); // the client never reads on: the transfer is cut
                raw.expect(421); // what the client reads: the stop's 421, then the end of the connection
            }
            List<String> lines = transfers.await(line -> line.contains("RETR") && line.contains("bytes in"));
            String line = lines.stream().filter(l -> l.contains("bytes in")).findFirst().orElseThrow();
            assertTrue(line.endsWith("421 Server is shutting down."), line);
            String record = LogFiles.await(json, l -> l.contains("RETR big.bin")).stream()
                    .filter(l -> l.contains("RETR big.bin")).findFirst().orElseThrow();
            assertTrue(record.matches(".*\"reply_code\"\\s*:\\s*\"?421\\b.*"), record);
        } finally {
            server.storage.close();
        }
    }
}
