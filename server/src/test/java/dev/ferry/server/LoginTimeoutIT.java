package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** login_timeout (issue 17): a connection that does not log in in time is cut, however busy it is. */
@Timeout(60)
class LoginTimeoutIT {

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aBusyClientThatNeverLogsInReads421WhenLoginTimeoutPasses() throws Exception {
        try (TestServer server = TestServer.builder().set("login_timeout", "1").set("idle_session_timeout", "60")
                .start()) {
            long start = System.nanoTime();
            try (RawClient client = RawClient.connect(server.port())) {
                RawClient.Reply reply = null;
                // complete commands, each well within the idle timeout: only the login deadline can end this
                for (int i = 0; i < 30; i++) {
                    reply = client.command(i % 2 == 0 ? "NOOP" : "USER nobody");
                    if (reply.code() == 421) {
                        break;
                    }
                    Thread.sleep(100);
                }
                long millis = millisSince(start);
                assertEquals(421, reply.code(), reply.toString());
                assertEquals("Login timeout (1 seconds): closing control connection.", reply.text());
                assertTrue(millis >= 900 && millis < 2_500, "421 after " + millis + " ms");
                assertTrue(client.closedByServer(2_000), "closed after the 421");
            }
        }
    }

    @Test
    void aLoggedInSessionOutlivesTheLoginTimeoutAndReinStartsItAgain() throws Exception {
        try (TestServer server = TestServer.builder().set("login_timeout", "1").set("idle_session_timeout", "60")
                .start();
             RawClient client = RawClient.anonymous(server.port())) {
            Thread.sleep(1_500);
            assertEquals(200, client.command("NOOP").code(), "logged in: no login deadline");
            assertEquals(220, client.command("REIN").code());
            long start = System.nanoTime();
            RawClient.Reply reply = client.reply(); // logged out again: a new login deadline runs
            long millis = millisSince(start);
            assertEquals(421, reply.code(), reply.toString());
            assertTrue(millis >= 800 && millis < 2_500, "421 after " + millis + " ms");
        }
    }

    @Test
    void zeroMeansNoLoginDeadline() throws Exception {
        try (TestServer server = TestServer.builder().set("login_timeout", "0").set("idle_session_timeout", "60")
                .start();
             RawClient client = RawClient.connect(server.port())) {
            Thread.sleep(1_200);
            assertEquals(200, client.command("NOOP").code());
        }
    }
}
