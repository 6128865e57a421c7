package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** max_login_fails, delay_failed_login, delay_successful_login, and USER's uniform 331. */
@Timeout(60)
class LoginHardeningIT {

    @TempDir
    Path conf;

    private TestServer.Builder server() throws Exception {
        return TestServer.builder().set("local_enable", "YES")
                .users(TestUsers.of(conf, "alice:" + PasswordHash.sha512Crypt("secret")));
    }

    @Test
    void connectionClosedAfterMaxLoginFails() throws Exception {
        try (TestServer server = server().set("delay_failed_login", "0").set("max_login_fails", "2").start();
             RawClient raw = RawClient.connect(server.port())) {
            assertEquals(331, raw.command("USER alice").code());
            assertEquals(530, raw.command("PASS wrong").code());
            assertEquals(331, raw.command("USER nobody").code());
            assertEquals(530, raw.command("PASS wrong").code());
            // the second failure ends the session: the next read sees the end of the stream
            assertThrows(IOException.class, () -> raw.command("NOOP"));
        }
    }

    @Test
    void userAnswers331ForEveryName() throws Exception {
        try (TestServer server = server().start(); RawClient raw = RawClient.connect(server.port())) {
            for (String name : List.of("alice", "nobody", "root", "x".repeat(200))) {
                RawClient.Reply reply = raw.command("USER " + name);
                assertEquals(331, reply.code(), name);
                assertEquals("Please specify the password.", reply.text());
            }
        }
    }

    @Test
    void failedLoginIsDelayedWithoutHoldingUpOtherSessions() throws Exception {
        try (TestServer server = server().set("delay_failed_login", "2").start()) {
            int clients = 20;
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            try {
                List<Future<Long>> failing = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < clients; i++) {
                    failing.add(pool.submit(timed(server, "wrong")));
                }
                // while twenty sessions wait out their delay, another one logs in at once
                Thread.sleep(300);
                long okMillis = pool.submit(timed(server, "secret")).get(10, TimeUnit.SECONDS);
                assertTrue(okMillis < 1500, "successful login took " + okMillis + " ms");
                for (Future<Long> f : failing) {
                    long millis = f.get(20, TimeUnit.SECONDS);
                    assertTrue(millis >= 1900, "failed login answered after " + millis + " ms");
                }
                long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(total < 6000, "delays ran one after another: " + total + " ms");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void successfulLoginDelay() throws Exception {
        try (TestServer server = server().set("delay_successful_login", "1").start()) {
            long millis = timed(server, "secret").call();
            assertTrue(millis >= 900, "answered after " + millis + " ms");
        }
    }

    /** Logs in as alice with {@code password}; the milliseconds PASS took. */
    private static Callable<Long> timed(TestServer server, String password) {
        return () -> {
            try (RawClient raw = RawClient.connect(server.port())) {
                raw.command("USER alice");
                long start = System.nanoTime();
                int code = raw.command("PASS " + password).code();
                assertEquals(password.equals("secret") ? 230 : 530, code);
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
        };
    }
}
