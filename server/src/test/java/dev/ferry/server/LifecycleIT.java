package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload and stop against a real {@code ferry} process: SIGHUP and config_watch apply a new
 * configuration to new sessions only and reject a broken one; SIGTERM tells idle sessions 421,
 * lets running transfers finish within stop_grace_period, cuts them after it, and exits 0.
 */
class LifecycleIT {

    /** 256 KiB at 128 KiB/s: a transfer that is still running for about two seconds. */
    private static final int SIZE = 256 * 1024;
    private static final int RATE = 128 * 1024;

    @TempDir
    Path tempDir;

    private Path root;
    private Path config;

    /** A config file serving {@code root} on the local disk, anonymous writes allowed, plus {@code extra} lines. */
    private Path writeConfig(String... extra) throws IOException {
        if (root == null) {
            root = Files.createDirectories(tempDir.resolve("root"));
            config = tempDir.resolve("ferry.conf");
        }
        List<String> lines = Stream.concat(Stream.of(
                "listen_address=127.0.0.1",
                "listen_port=0",
                "storage=local",
                "local_storage_root=" + root,
                "anon_root=" + root,
                "write_enable=YES",
                "anon_upload_enable=YES",
                "anon_mkdir_write_enable=YES",
                "anon_max_rate=" + RATE), Stream.of(extra)).toList();
        Files.write(config, lines);
        return config;
    }

    private FerryProcess start() throws Exception {
        return FerryProcess.start(config, tempDir.resolve("ferry.log"));
    }

    private static FTPClient anonymous(int port) throws IOException {
        FTPClient client = new FTPClient();
        client.setConnectTimeout(10_000);
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", port);
        client.setSoTimeout(20_000);
        assertTrue(client.login("anonymous", "test@example.com"), client.getReplyString());
        client.enterLocalPassiveMode();
        assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE), client.getReplyString());
        return client;
    }

    /** A new raw session: its greeting, then an anonymous login. */
    private record Session(RawClient client, String greeting) {
        static Session open(int port) throws IOException {
            RawClient client = new RawClient(port);
            RawClient.Reply greeting = client.reply();
            assertEquals(220, greeting.code(), greeting.toString());
            client.command("USER anonymous");
            RawClient.Reply login = client.command("PASS test@example.com");
            assertEquals(230, login.code(), login.toString());
            return new Session(client, greeting.text());
        }

        int mkd(String name) throws IOException {
            return client.command("MKD " + name).code();
        }
    }

    @Test
    void sigtermTellsIdleSessions421AndLetsRunningTransfersFinish() throws Exception {
        writeConfig("stop_grace_period=20");
        byte[] download = Clients.random(SIZE, 1);
        byte[] upload = Clients.random(SIZE, 2);
        Files.write(root.resolve("down.bin"), download);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (FerryProcess ferry = start(); RawClient idle = RawClient.anonymous(ferry.port)) {
            FTPClient up = anonymous(ferry.port);
            FTPClient down = anonymous(ferry.port);
            OutputStream out = up.storeFileStream("up.bin");
            assertNotNull(out, up.getReplyString());
            InputStream in = down.retrieveFileStream("down.bin");
            assertNotNull(in, down.getReplyString());
            Future<Boolean> uploaded = pool.submit(() -> {
                try (out) {
                    out.write(upload);
                }
                return up.completePendingCommand();
            });
            Future<byte[]> downloaded = pool.submit(() -> {
                byte[] bytes;
                try (in) {
                    bytes = in.readAllBytes();
                }
                assertTrue(down.completePendingCommand(), down.getReplyString());
                return bytes;
            });

            long mark = ferry.mark();
            ferry.process.destroy(); // SIGTERM
            ferry.await(mark, "SIGTERM: stopping", Duration.ofSeconds(10));
            assertFalse(uploaded.isDone(), "the upload should still run when the stop begins");

            RawClient.Reply told = idle.reply();
            assertEquals(421, told.code(), told.toString());
            assertTrue(idle.closedByServer(5_000), "the idle session is closed after its 421");

            assertTrue(uploaded.get(20, TimeUnit.SECONDS), up.getReplyString());
            assertEquals(226, up.getReplyCode(), up.getReplyString());
            assertArrayEquals(download, downloaded.get(20, TimeUnit.SECONDS), "downloaded bytes");
            assertEquals(226, down.getReplyCode(), down.getReplyString());
            assertEquals(Clients.sha256(upload), Clients.sha256(Files.readAllBytes(root.resolve("up.bin"))),
                    "uploaded bytes");

            assertTrue(ferry.process.waitFor(20, TimeUnit.SECONDS), "ferry exits within the grace period");
            assertEquals(0, ferry.process.exitValue(), ferry.logText());
            assertTrue(ferry.logText().contains("Ferry stopped"), ferry.logText());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTransferStillRunningAfterTheGracePeriodIsCutAndLeavesNoFile() throws Exception {
        writeConfig("stop_grace_period=1");
        byte[] big = Clients.random(8 * SIZE, 3); // about 16 s at the rate: well past the grace
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (FerryProcess ferry = start()) {
            FTPClient up = anonymous(ferry.port);
            OutputStream out = up.storeFileStream("big.bin");
            assertNotNull(out, up.getReplyString());
            Future<Integer> cut = pool.submit(() -> {
                try (out) {
                    out.write(big);
                } catch (IOException dataConnectionClosed) {
                    // expected: the server cut the transfer
                }
                try {
                    up.completePendingCommand();
                } catch (FTPConnectionClosedException closed) {
                    // Commons Net throws on 421 after recording the code
                }
                return up.getReplyCode();
            });
            long started = System.nanoTime();
            int status = ferry.terminate(Duration.ofSeconds(15));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertEquals(0, status, ferry.logText());
            assertTrue(seconds < 10, "stopped after " + seconds + " s with a 1 s grace");
            int code = cut.get(20, TimeUnit.SECONDS);
            assertTrue(code == 421 || code == 426, "reply " + code + ": " + up.getReplyString());
            try (Stream<Path> left = Files.list(root)) {
                assertEquals(List.of(), left.toList(), "nothing of the cut upload is left, under any name");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sighupAppliesANewConfigurationToNewSessionsAndRejectsABrokenOne() throws Exception {
        writeConfig("ftpd_banner=before", "anon_mkdir_write_enable=NO");
        try (FerryProcess ferry = start()) {
            Session old = Session.open(ferry.port);
            assertEquals("before", old.greeting());
            assertEquals(550, old.mkd("refused"));

            writeConfig("ftpd_banner=after", "anon_mkdir_write_enable=YES", "listen_port=1");
            long mark = ferry.mark();
            ferry.hangUp();
            assertTrue(ferry.await(mark, "configuration reloaded from " + config, Duration.ofSeconds(10))
                    .contains("SIGHUP"));
            ferry.await(mark, "listen_port changed, but only a restart applies it: keeping listen_port=0",
                    Duration.ofSeconds(1));

            Session fresh = Session.open(ferry.port); // still the port it started on
            assertEquals("after", fresh.greeting());
            assertEquals(257, fresh.mkd("made"));
            assertTrue(Files.isDirectory(root.resolve("made")));
            assertEquals(550, old.mkd("still-refused"), "a session keeps the configuration it started with");

            // line 3 of the broken file: the reload is refused and "after" stays in force
            Files.write(config, List.of("listen_address=127.0.0.1", "ftpd_banner=broken", "max_clients=lots"));
            mark = ferry.mark();
            ferry.hangUp();
            String rejected = ferry.await(mark, "configuration rejected: ", Duration.ofSeconds(10));
            assertTrue(rejected.contains(config + ":3:"), rejected);
            Session later = Session.open(ferry.port);
            assertEquals("after", later.greeting());
            assertEquals(257, later.mkd("made-again"));

            for (Session session : List.of(old, fresh, later)) {
                session.client().close();
            }
            assertEquals(0, ferry.terminate(Duration.ofSeconds(20)), ferry.logText());
        }
    }

    @Test
    void configWatchReloadsWhenTheFileChanges() throws Exception {
        writeConfig("config_watch=YES", "ftpd_banner=first");
        try (FerryProcess ferry = start()) {
            long mark = ferry.mark();
            writeConfig("config_watch=YES", "ftpd_banner=second version");
            String reloaded = ferry.await(mark, "configuration reloaded from " + config,
                    Lifecycle.WATCH_PERIOD.multipliedBy(5));
            assertTrue(reloaded.contains("config_watch"), reloaded);
            Session session = Session.open(ferry.port);
            assertEquals("second version", session.greeting());
            session.client().close();
        }
    }
}
