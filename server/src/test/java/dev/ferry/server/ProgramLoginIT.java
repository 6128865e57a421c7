package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** auth_program: a real shell script decides logins, answers homes, groups and directives. */
@Timeout(120)
class ProgramLoginIT {

    private static final byte[] DATA = "from the program's user\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;
    @TempDir
    Path scripts;

    @BeforeEach
    void shell() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run the test's auth programs");
    }

    /** A /bin/sh script: {@code body} runs after the name and password are read into $name and $pass. */
    private Path script(String body) throws Exception {
        Path file = scripts.resolve("auth-" + System.nanoTime());
        Files.writeString(file, "#!/bin/sh\nread -r name\nread -r pass\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private TestServer.Builder server(Path program) {
        return TestServer.builder().local(root).set("local_enable", "YES").set("delay_failed_login", "0")
                .set("max_login_fails", "0").set("auth_program", program.toString());
    }

    @Test
    void acceptedUserGetsHomeAndDirectives() throws Exception {
        Files.createDirectories(root.resolve("home/alice"));
        Path program = script("""
                if [ "$name" = alice ] && [ "$pass" = 'se cret:%' ]; then
                  echo ok
                  echo home=HOME
                  echo groups=staff,uploads
                  echo directive=write_enable=YES
                  exit 0
                fi
                [ "$name" = bob ] && { echo no; exit 0; }
                exit 1
                """.replace("HOME", root.resolve("home/alice").toString()));
        try (TestServer server = server(program).start()) {
            FTPClient client = server.connect();
            assertTrue(client.login("alice", "se cret:%"), client.getReplyString());
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            // write_enable came from the program's answer, the jail from its home
            assertTrue(client.storeFile("up.txt", new ByteArrayInputStream(DATA)), client.getReplyString());
            assertArrayEquals(DATA, Files.readAllBytes(root.resolve("home/alice/up.txt")));
            client.disconnect();
            for (String[] refused : List.of(new String[] {"alice", "wrong"}, new String[] {"bob", "x"},
                    new String[] {"nobody", "x"})) {
                client = server.connect();
                assertFalse(client.login(refused[0], refused[1]));
                assertEquals(530, client.getReplyCode(), client.getReplyString());
                client.disconnect();
            }
        }
    }

    @Test
    void passwordNeverInArgumentsOrEnvironment() throws Exception {
        Path seen = scripts.resolve("seen");
        Path program = script("echo \"$0 $*\" > " + seen + "\nenv >> " + seen
                + "\necho \"stdin:$pass\" >> " + seen + "\necho ok");
        try (TestServer server = server(program).start()) {
            FTPClient client = server.connect();
            assertTrue(client.login("carol", "p4ss-in-stdin-only"), client.getReplyString());
            client.disconnect();
        }
        String text = Files.readString(seen);
        assertTrue(text.contains("stdin:p4ss-in-stdin-only"), text);
        assertEquals(1, text.split("p4ss-in-stdin-only", -1).length - 1, "the password outside stdin: " + text);
    }

    @Test
    void brokenProgramsAnswer421NotWrongPassword() throws Exception {
        Path pidFile = scripts.resolve("pid");
        List<Path> broken = List.of(
                script("echo hello there"),                       // garbage
                script("echo ok\necho shell=/bin/sh"),            // unknown line
                script("echo ok; exit 3"),                        // another exit status
                script("printf 'ok\\n\\377\\n'"),                   // not UTF-8
                script("echo $$ > " + pidFile + "\nexec sleep 60")); // never answers
        for (Path program : broken) {
            try (TestServer server = server(program).set("auth_program_timeout", "1").start()) {
                FTPClient client = server.connect();
                long start = System.nanoTime();
                assertEquals(331, client.user("dave"));
                // Commons Net reports a 421 by closing its side too
                assertThrows(FTPConnectionClosedException.class, () -> client.pass("pw"), Files.readString(program));
                assertEquals(421, client.getReplyCode(), Files.readString(program) + client.getReplyString());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "timeout not applied");
            }
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the timed-out program still runs");
        // exit status 1 is checkpassword's "bad password": a plain 530
        try (TestServer server = server(script("exit 1")).start()) {
            FTPClient client = server.connect();
            assertFalse(client.login("dave", "pw"));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void boundedNumberRunAtOnce() throws Exception {
        Path running = Files.createDirectory(scripts.resolve("running"));
        Path most = scripts.resolve("most");
        Files.writeString(most, "0\n");
        Path program = script("""
                mkdir %1$s/$$
                n=$(ls %1$s | wc -l)
                echo $n >> %2$s
                sleep 0.3
                rmdir %1$s/$$
                echo ok
                """.formatted(running, most));
        int logins = 10;
        try (TestServer server = server(program).set("auth_program_max", "2").set("auth_program_timeout", "30").start()) {
            ExecutorService clients = Executors.newFixedThreadPool(logins);
            try {
                List<Future<Integer>> replies = new ArrayList<>();
                for (int i = 0; i < logins; i++) {
                    replies.add(clients.submit(() -> {
                        FTPClient client = server.connect();
                        client.login("user", "pw");
                        int code = client.getReplyCode();
                        client.disconnect();
                        return code;
                    }));
                }
                for (Future<Integer> reply : replies) {
                    assertEquals(230, reply.get(60, TimeUnit.SECONDS));
                }
            } finally {
                clients.shutdownNow();
            }
        }
        List<Integer> counts = Files.readAllLines(most).stream().map(String::strip).map(Integer::parseInt).toList();
        assertEquals(logins + 1, counts.size(), counts.toString());
        assertTrue(counts.stream().allMatch(n -> n <= 2), "more than auth_program_max ran at once: " + counts);
        assertTrue(counts.stream().anyMatch(n -> n == 2), "never two at once: the test proves nothing " + counts);
    }
}
