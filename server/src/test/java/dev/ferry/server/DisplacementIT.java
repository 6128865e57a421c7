package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17: connections that hold max_clients without logging in (slowloris) give their place to a
 * newcomer once they have held it a second; logged-in sessions never do.
 */
@Timeout(60)
class DisplacementIT {

    @Test
    void aNewcomerToAFullServerDisplacesTheOldestConnectionThatHasNotLoggedIn() throws Exception {
        try (TestServer server = TestServer.builder().set("max_clients", "3").set("max_per_ip", "0").start()) {
            List<RawClient> holders = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    holders.add(RawClient.connect(server.port())); // greeted, never logs in
                    Thread.sleep(50);
                }
                try (Socket refused = new Socket("127.0.0.1", server.port())) {
                    refused.setSoTimeout(5_000);
                    String line = new BufferedReader(new InputStreamReader(refused.getInputStream(),
                            StandardCharsets.UTF_8)).readLine();
                    assertTrue(line.startsWith("421 There are too many connected users"),
                            "holders younger than a second keep their place: " + line);
                }
                Thread.sleep(1_200);
                long start = System.nanoTime();
                FTPClient client = server.anonymous();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1_000, "logged in after " + millis + " ms");
                RawClient.Reply displaced = holders.getFirst().reply();
                assertEquals(421, displaced.code(), displaced.toString());
                assertTrue(displaced.text().contains("has not logged in"), displaced.toString());
                assertTrue(holders.getFirst().closedByServer(2_000));
                assertEquals(200, holders.get(1).command("NOOP").code(), "only the oldest was displaced");
                client.disconnect();
            } finally {
                for (RawClient holder : holders) {
                    holder.close();
                }
            }
        }
    }

    @Test
    void loggedInSessionsAreNeverDisplaced() throws Exception {
        try (TestServer server = TestServer.builder().set("max_clients", "2").set("max_per_ip", "0").start();
             RawClient a = RawClient.anonymous(server.port());
             RawClient b = RawClient.anonymous(server.port())) {
            Thread.sleep(1_200);
            try (Socket refused = new Socket("127.0.0.1", server.port())) {
                refused.setSoTimeout(5_000);
                String line = new BufferedReader(new InputStreamReader(refused.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertEquals("421 There are too many connected users, please try later.", line);
            }
            assertEquals(200, a.command("NOOP").code());
            assertEquals(200, b.command("NOOP").code());
        }
    }
}
