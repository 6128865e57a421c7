package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * System accounts through a real PAM stack (vsftpd's local_enable=YES without a users file): the
 * test makes real accounts with useradd and its own service file under /etc/pam.d using
 * pam_unix, and removes both afterwards. Needs root, libpam and pam_unix; skipped otherwise.
 */
@Timeout(120)
class PamLoginIT {

    private static final String PASSWORD = "pam-Secret-42";
    private static final byte[] DATA = "system user data\n".getBytes(StandardCharsets.UTF_8);
    private static final String SUFFIX = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
    /** The one the tests log in. */
    private static final String USER = "fpam" + SUFFIX;
    /** A second account, for logins at once. */
    private static final String OTHER = "fpamo" + SUFFIX;
    /** Locked with usermod -L: the right password must not work. */
    private static final String LOCKED = "fpaml" + SUFFIX;
    /** Account expired (usermod -e 1970-01-02): pam_authenticate passes, pam_acct_mgmt refuses. */
    private static final String EXPIRED = "fpame" + SUFFIX;
    /** With nodelay, so the tests do not wait pam_unix's 2 s after each wrong password. */
    private static final String FAST = "ferry-test-" + SUFFIX;
    /** pam_unix as shipped, sleeping ~2 s after a wrong password. */
    private static final String SLOW = "ferry-test-slow-" + SUFFIX;

    @TempDir
    static Path root;

    private static final List<String> made = new ArrayList<>();

    @BeforeAll
    static void systemAccounts() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "PAM tests make system accounts and a file under /etc/pam.d: they need root");
        assumeTrue(Files.isDirectory(Path.of("/etc/pam.d")), "no /etc/pam.d: PAM is not installed");
        assumeTrue(pamUnix(), "pam_unix.so not found: install libpam-modules");
        assumeTrue(run("useradd", "--help") == 0, "useradd not found: install passwd");
        Files.writeString(Path.of("/etc/pam.d", FAST),
                "auth required pam_unix.so nodelay\naccount required pam_unix.so\n");
        made.add("/etc/pam.d/" + FAST);
        Files.writeString(Path.of("/etc/pam.d", SLOW), "auth required pam_unix.so\naccount required pam_unix.so\n");
        made.add("/etc/pam.d/" + SLOW);
        for (String name : List.of(USER, OTHER, LOCKED, EXPIRED)) {
            Path home = Files.createDirectories(root.resolve("home").resolve(name));
            assertEquals(0, run("useradd", "-M", "-d", home.toString(), "-s", "/usr/sbin/nologin", name), "useradd");
            made.add(name);
            assertEquals(0, runWithInput(name + ":" + PASSWORD, "chpasswd"), "chpasswd");
            Files.write(home.resolve("mine.txt"), DATA);
            Files.writeString(home.resolve("whose.txt"), name);
        }
        assertEquals(0, run("usermod", "-L", LOCKED));
        assertEquals(0, run("usermod", "-e", "1970-01-02", EXPIRED));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String thing : made) {
            if (thing.startsWith("/")) {
                Files.deleteIfExists(Path.of(thing));
            } else {
                run("userdel", thing);
            }
        }
    }

    private static boolean pamUnix() {
        for (String dir : List.of("/lib/x86_64-linux-gnu/security", "/usr/lib/x86_64-linux-gnu/security",
                "/lib/aarch64-linux-gnu/security", "/usr/lib/aarch64-linux-gnu/security", "/lib/security",
                "/lib64/security", "/usr/lib64/security", "/usr/lib/security")) {
            if (Files.exists(Path.of(dir, "pam_unix.so"))) {
                return true;
            }
        }
        return false;
    }

    static int run(String... command) throws IOException, InterruptedException {
        return runWithInput(null, command);
    }

    /** Runs {@code command} with {@code input} on its stdin. */
    private static int runWithInput(String input, String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return -1;
        }
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write((input + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        return process.exitValue();
    }

    private static TestServer.Builder system(String service) {
        TestServer.Builder builder = TestServer.builder().local(root).set("local_enable", "YES")
                .set("delay_failed_login", "0").set("max_login_fails", "0");
        return service == null ? builder : builder.set("pam_service_name", service);
    }

    @Test
    void systemAccountLogsInJailedToItsHome() throws Exception {
        try (TestServer server = system(FAST).start()) {
            FTPClient client = server.connect();
            assertTrue(client.login(USER, PASSWORD), client.getReplyString());
            assertEquals("/", client.printWorkingDirectory());
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(client.retrieveFile("mine.txt", out), client.getReplyString());
            assertArrayEquals(DATA, out.toByteArray());
            client.disconnect();
        }
    }

    /**
     * vsftpd's usual virtual-user setup: PAM checks the password, guest_enable maps every such login
     * to guest_username's account, whose home the session gets, with anonymous rights unless
     * virtual_use_local_privs (vsftpd twoprocess.c, common_do_login).
     */
    @Test
    void pamLoginsWithGuestEnableLandInTheGuestAccountsHome() throws Exception {
        try (TestServer server = system(FAST).set("guest_enable", "YES").set("guest_username", OTHER)
                .set("write_enable", "YES").start()) {
            FTPClient client = server.connect();
            assertTrue(client.login(USER, PASSWORD), client.getReplyString());
            assertEquals("/", client.printWorkingDirectory());
            client.enterLocalPassiveMode();
            assertArrayEquals(OTHER.getBytes(StandardCharsets.UTF_8), Clients.retrieve(client, "whose.txt"));
            // anonymous rights: anon_upload_enable is off
            assertFalse(client.storeFile("up.txt", new ByteArrayInputStream(DATA)), client.getReplyString());
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            client.disconnect();
            // the password still decides
            FTPClient wrong = server.connect();
            assertFalse(wrong.login(USER, PASSWORD + "x"));
            assertEquals(530, wrong.getReplyCode(), wrong.getReplyString());
            wrong.disconnect();
        }
        try (TestServer server = system(FAST).set("guest_enable", "YES").set("guest_username", OTHER)
                .set("virtual_use_local_privs", "YES").set("write_enable", "YES").set("allow_writeable_chroot", "YES")
                .start()) {
            FTPClient client = server.connect();
            assertTrue(client.login(USER, PASSWORD), client.getReplyString());
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            assertTrue(client.storeFile("up.txt", new ByteArrayInputStream(DATA)), client.getReplyString());
            client.disconnect();
            assertArrayEquals(DATA, Files.readAllBytes(root.resolve("home").resolve(OTHER).resolve("up.txt")));
            assertFalse(Files.exists(root.resolve("home").resolve(USER).resolve("up.txt")));
        }
    }

    @Test
    void wrongPasswordLockedAndExpiredAccountsAreRefused() throws Exception {
        try (TestServer server = system(FAST).start();
             CapturedLog log = new CapturedLog("dev.ferry.server.auth.PamAccounts")) {
            FTPClient client = server.connect();
            assertFalse(client.login(USER, PASSWORD + "x"));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            assertFalse(client.login(LOCKED, PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            assertFalse(client.login(EXPIRED, PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            assertFalse(client.login("nosuch" + SUFFIX, PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            // root is refused even with PAM's yes
            assertFalse(client.login("root", PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            // and the account that works still does, on the same connection
            assertTrue(client.login(USER, PASSWORD), client.getReplyString());
            client.disconnect();
            // the reason stays in the log: the expired account passed the password, not the account check
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("'" + EXPIRED + "'")
                    && m.contains("pam_acct_mgmt")), log.messages().toString());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("'" + LOCKED + "'")
                    && m.contains("pam_authenticate")), log.messages().toString());
        }
    }

    @Test
    void denyListAndUserListApplyToSystemAccounts() throws Exception {
        Path deny = Files.writeString(root.resolve("ftpusers"), USER + "\n");
        try (TestServer server = system(FAST).set("deny_users_file", deny.toString()).start()) {
            FTPClient client = server.connect();
            assertFalse(client.login(USER, PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
        Path list = Files.writeString(root.resolve("user_list"), USER + "\n");
        try (TestServer server = system(FAST).set("userlist_enable", "YES")
                .set("userlist_file", list.toString()).start()) {
            FTPClient client = server.connect();
            assertEquals(530, client.user(USER), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void usersFileFirstThenPam() throws Exception {
        String hash = dev.ferry.server.auth.PasswordHash.sha512Crypt("file-pass");
        Path users = Files.writeString(root.resolve("users"),
                "filey:" + hash + ":" + root.resolve("home").resolve(USER) + "\n" + LOCKED + ":!\n");
        try (TestServer server = system(FAST).set("users_file", users.toString())
                .users(dev.ferry.server.auth.UserStore.load(users)).start()) {
            FTPClient client = server.connect();
            assertTrue(client.login("filey", "file-pass"), client.getReplyString());
            client.disconnect();
            client = server.connect();
            assertTrue(client.login(USER, PASSWORD), client.getReplyString());
            client.disconnect();
            // the file decides for the names it holds: locked there, locked for FTP
            client = server.connect();
            assertFalse(client.login(LOCKED, PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
        // without pam_service_name a users file is the only source, as before
        try (TestServer server = system(null).set("users_file", users.toString())
                .users(dev.ferry.server.auth.UserStore.load(users)).start()) {
            FTPClient client = server.connect();
            assertFalse(client.login(USER, PASSWORD));
            assertEquals(530, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void missingServiceFileFallsBackToOtherAsPamDoes() throws Exception {
        // vsftpd's default service name is ftp; with no /etc/pam.d/ftp libpam reads /etc/pam.d/other
        // (Debian: the common-* stack, pam_unix) and the account logs in all the same
        assumeTrue(!Files.exists(Path.of("/etc/pam.d/ftp")) && Files.exists(Path.of("/etc/pam.d/other"))
                && Files.readString(Path.of("/etc/pam.d/other")).contains("common-auth"),
                "needs Debian's /etc/pam.d/other and no /etc/pam.d/ftp");
        try (TestServer server = system(null).start()) {
            FTPClient client = server.connect();
            assertTrue(client.login(USER, PASSWORD), client.getReplyString());
            client.disconnect();
        }
    }

    /**
     * Many logins of two accounts at once each land in their own home: the account is read with
     * the reentrant getpwnam_r, not getpwnam, whose one static buffer concurrent logins share
     * (which once gave a user the home of another account under load).
     */
    @Test
    void concurrentLoginsGetTheirOwnHomes() throws Exception {
        try (TestServer server = system(FAST).start()) {
            int logins = 40;
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> seen = new ArrayList<>();
                for (int i = 0; i < logins; i++) {
                    String name = i % 2 == 0 ? USER : OTHER;
                    seen.add(clients.submit(() -> {
                        FTPClient client = server.connect();
                        assertTrue(client.login(name, PASSWORD), client.getReplyString());
                        client.enterLocalPassiveMode();
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        assertTrue(client.retrieveFile("whose.txt", out), client.getReplyString());
                        client.disconnect();
                        return name + "=" + out.toString(StandardCharsets.UTF_8);
                    }));
                }
                for (Future<String> result : seen) {
                    String[] pair = result.get(60, TimeUnit.SECONDS).split("=");
                    assertEquals(pair[0], pair[1]);
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /**
     * pam_unix sleeps ~2 s inside pam_authenticate after a wrong password. If that native sleep ran
     * on session threads, a few failing clients would hold every carrier thread and a good login
     * would wait behind them; on Ferry's login threads it goes through at once.
     */
    @Test
    void slowPamFailuresDoNotStallOtherLogins() throws Exception {
        try (TestServer server = system(SLOW).start()) {
            int failing = Runtime.getRuntime().availableProcessors() * 4;
            ExecutorService clients = Executors.newFixedThreadPool(failing);
            try {
                List<Future<Long>> failures = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < failing; i++) {
                    failures.add(clients.submit(() -> {
                        FTPClient client = server.connect();
                        assertFalse(client.login(USER, "wrong"));
                        client.disconnect();
                        return System.nanoTime();
                    }));
                }
                Thread.sleep(300); // all of them inside pam_unix's delay
                FTPClient good = server.connect();
                assertTrue(good.login(USER, PASSWORD), good.getReplyString());
                long goodDone = System.nanoTime();
                good.disconnect();
                long firstFailure = Long.MAX_VALUE;
                for (Future<Long> failure : failures) {
                    firstFailure = Math.min(firstFailure, failure.get(60, TimeUnit.SECONDS));
                }
                assertTrue(firstFailure - start > TimeUnit.MILLISECONDS.toNanos(900),
                        "pam_unix did not delay the failures: the test proves nothing");
                assertTrue(goodDone < firstFailure, "the good login waited for the failing ones");
            } finally {
                clients.shutdownNow();
            }
        }
    }
}
