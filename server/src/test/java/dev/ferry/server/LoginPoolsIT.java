package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.server.auth.UserStore;
import dev.ferry.storage.StorageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login machinery (login threads, auth_program_max) belongs to one server configuration: a
 * second server in the same JVM, or the configuration a reload brings, is not held up by logins
 * of the other. A program that keeps the login "holder" waiting fills auth_program_max=1; with one
 * bound for the whole process (as before), the other server's login would wait the 10 s timeout
 * for that slot and get 421.
 */
@Timeout(60)
class LoginPoolsIT {

    @TempDir
    Path dir;
    private Path program;

    @BeforeEach
    void program() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run the test's auth program");
        program = dir.resolve("auth");
        // "holder" waits (at most 30 s) until the test lets it go; anyone else is accepted at once
        Files.writeString(program, """
                #!/bin/sh
                read -r name
                read -r pass
                if [ "$name" = holder ]; then
                  mkdir DIR/started
                  i=0
                  while [ ! -e DIR/release ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
                fi
                echo ok
                """.replace("DIR", dir.toString()));
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
    }

    private List<String> settings() {
        return List.of("local_enable=YES", "delay_failed_login=0", "max_login_fails=0",
                "auth_program=" + program, "auth_program_max=1", "auth_program_timeout=10");
    }

    private TestServer start() throws Exception {
        TestServer.Builder builder = TestServer.builder();
        for (String setting : settings()) {
            String[] pair = setting.split("=", 2);
            builder.set(pair[0], pair[1]);
        }
        return builder.start();
    }

    /** Starts the holder's login and returns once its program runs (and holds the one slot). */
    private CompletableFuture<Integer> hold(TestServer server) throws Exception {
        CompletableFuture<Integer> holder = CompletableFuture.supplyAsync(() -> login(server, "holder"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.notExists(dir.resolve("started")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assumeTrue(Files.exists(dir.resolve("started")), "the auth program did not start within 10 s");
        return holder;
    }

    private static int login(TestServer server, String name) {
        try {
            FTPClient client = server.connect();
            client.login(name, "pw");
            int code = client.getReplyCode();
            client.disconnect();
            return code;
        } catch (FTPConnectionClosedException e) {
            return 421; // the server answered 421 and closed, as it does when logins cannot be checked
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoServersInOneJvmHaveTheirOwnBound() throws Exception {
        try (TestServer first = start(); TestServer second = start()) {
            CompletableFuture<Integer> holder = hold(first);
            // the first server's one slot is taken: its next login waits for it
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> login(first, "other"));
            // the second server's slot is its own: accepted while the holder still runs
            assertEquals(230, login(second, "other"));
            assertFalse(holder.isDone(), "the holder must still hold its slot, or the test proves nothing");
            assertFalse(waiting.isDone(), "auth_program_max=1 let a second program run");
            Files.createFile(dir.resolve("release"));
            assertEquals(230, holder.get(30, TimeUnit.SECONDS));
            assertEquals(230, waiting.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aReloadBringsItsOwnBound() throws Exception {
        try (TestServer server = start()) {
            CompletableFuture<Integer> holder = hold(server);
            List<String> all = new ArrayList<>(List.of("listen_port=0", "listen_address=127.0.0.1", "anon_root=/"));
            all.addAll(settings());
            server.server.reload(ServerConfig.load(List.of(Source.overrides(all)),
                    StorageProvider.installed().stream().flatMap(p -> p.settings().stream()).toList()),
                    UserStore.empty());
            assertEquals(230, login(server, "other"));
            assertFalse(holder.isDone(), "the holder must still hold its slot, or the test proves nothing");
            Files.createFile(dir.resolve("release"));
            assertEquals(230, holder.get(30, TimeUnit.SECONDS));
        }
    }
}
