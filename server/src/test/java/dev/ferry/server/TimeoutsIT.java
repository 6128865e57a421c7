package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * idle_session_timeout, accept_timeout and connect_timeout with short values. The stall watchdog
 * (data_connection_timeout, blocked writes included) is covered by AbortIT.
 */
@Timeout(60)
class TimeoutsIT {

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void anIdleSessionReads421TimeoutAndIsClosed() throws Exception {
        try (TestServer server = TestServer.builder().set("idle_session_timeout", "1").start();
             RawClient client = RawClient.anonymous(server.port())) {
            long start = System.nanoTime();
            RawClient.Reply reply = client.reply();
            long millis = millisSince(start);
            assertEquals(421, reply.code());
            assertEquals("Timeout.", reply.text());
            assertTrue(millis >= 900 && millis < 3_000, "421 after " + millis + " ms");
        }
    }

    @Test
    void aPassiveConnectionNeverOpenedIs425AfterAcceptTimeout() throws Exception {
        try (TestServer server = TestServer.builder().set("accept_timeout", "1").start();
             RawClient client = RawClient.anonymous(server.port())) {
            server.put("/f.bin", new byte[10]);
            assertEquals(227, client.command("PASV").code());
            long start = System.nanoTime();
            RawClient.Reply reply = client.command("RETR f.bin"); // the client never connects
            long millis = millisSince(start);
            assertEquals(425, reply.code(), reply.toString());
            assertTrue(millis >= 900 && millis < 3_000, "425 after " + millis + " ms");
            assertEquals(200, client.command("NOOP").code());
        }
    }

    @Test
    void anActiveConnectionThatNeverCompletesIs425AfterConnectTimeout() throws Exception {
        // a listener whose accept queue is full: Linux drops further SYNs, so a connect hangs
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket blackhole = new ServerSocket()) {
            blackhole.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(blackhole.getLocalSocketAddress(), 300);
                } catch (java.io.IOException full) {
                    // the queue is full already
                }
                fillers.add(filler);
            }
            try (TestServer server = TestServer.builder().set("connect_timeout", "1").start();
                 RawClient client = RawClient.anonymous(server.port())) {
                server.put("/f.bin", new byte[10]);
                int port = blackhole.getLocalPort();
                assertEquals(200, client.command("PORT 127,0,0,1," + (port >> 8) + "," + (port & 0xff)).code());
                long start = System.nanoTime();
                RawClient.Reply reply = client.command("RETR f.bin");
                long millis = millisSince(start);
                assertEquals(425, reply.code(), reply.toString());
                assertTrue(millis >= 900 && millis < 3_000, "425 after " + millis + " ms");
                assertEquals(200, client.command("NOOP").code());
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
