package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * anon_max_rate, local_max_rate and global_max_rate, timed from the client side with Apache
 * Commons Net: from the command to its 226. A 10 MiB transfer at 2 MiB/s must take 5 s within 2%.
 */
@Timeout(120)
class RateLimitIT {

    private static final int MIB = 1024 * 1024;
    private static final byte[] TEN_MIB = Clients.random(10 * MIB, 5);

    @TempDir
    Path tempDir;

    @Test
    void anonymousDownloadAtAnonMaxRateTakesFiveSeconds() throws Exception {
        try (TestServer server = TestServer.builder().set("anon_max_rate", Integer.toString(2 * MIB)).start()) {
            server.put("/big.bin", TEN_MIB);
            FTPClient client = server.anonymous();
            long start = System.nanoTime();
            byte[] got = Clients.retrieve(client, "big.bin");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(TEN_MIB.length, got.length);
            System.out.printf("RETR 10 MiB at 2 MiB/s: %.3f s%n", seconds);
            assertEquals(5.0, seconds, 0.1, "RETR took " + seconds + " s");
            client.disconnect();
        }
    }

    @Test
    void localUploadAtLocalMaxRateTakesFiveSeconds() throws Exception {
        try (TestServer server = Clients.writable(tempDir).set("local_max_rate", Integer.toString(2 * MIB)).start()) {
            FTPClient client = Clients.writer(server);
            long start = System.nanoTime();
            assertTrue(client.storeFile("up.bin", new ByteArrayInputStream(TEN_MIB)), client.getReplyString());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("STOR 10 MiB at 2 MiB/s: %.3f s%n", seconds);
            assertEquals(5.0, seconds, 0.1, "STOR took " + seconds + " s");
            assertEquals(Clients.sha256(TEN_MIB), Clients.sha256(Clients.retrieve(client, "up.bin")));
            client.disconnect();
        }
    }

    @Test
    void twoSessionsShareTheGlobalCapFairly() throws Exception {
        byte[] five = Clients.random(5 * MIB, 6);
        try (TestServer server = TestServer.builder().set("global_max_rate", Integer.toString(2 * MIB)).start()) {
            server.put("/a.bin", five);
            server.put("/b.bin", five);
            FTPClient a = server.anonymous();
            FTPClient b = server.anonymous();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                // each of the two gets half of 2 MiB/s: 5 MiB in 5 s
                Future<Double> first = pool.submit(() -> timedRetrieve(a, "a.bin", five.length));
                Future<Double> second = pool.submit(() -> timedRetrieve(b, "b.bin", five.length));
                double one = first.get(60, TimeUnit.SECONDS);
                double two = second.get(60, TimeUnit.SECONDS);
                System.out.printf("two sessions under a 2 MiB/s global cap, 5 MiB each: %.3f s and %.3f s%n", one, two);
                assertEquals(5.0, one, 0.5, "first session took " + one + " s");
                assertEquals(5.0, two, 0.5, "second session took " + two + " s");
            } finally {
                pool.shutdownNow();
            }
            a.disconnect();
            b.disconnect();
        }
    }

    @Test
    void anUncappedUserIsNotSlowedByACappedOne() throws Exception {
        byte[] two = Clients.random(2 * MIB, 7);
        try (TestServer server = Clients.writable(tempDir).set("anon_max_rate", Integer.toString(MIB)).start()) {
            server.put("/slow.bin", two);
            server.put("/fast.bin", TEN_MIB);
            FTPClient capped = server.anonymous();
            FTPClient free = Clients.writer(server);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Double> slow = pool.submit(() -> timedRetrieve(capped, "slow.bin", two.length));
                Thread.sleep(300); // the capped download is under way
                double fast = timedRetrieve(free, "fast.bin", TEN_MIB.length);
                double slowSeconds = slow.get(60, TimeUnit.SECONDS);
                System.out.printf("uncapped 10 MiB: %.3f s while a capped 2 MiB took %.3f s%n", fast, slowSeconds);
                assertTrue(fast < 1.0, "the uncapped download took " + fast + " s");
                assertEquals(2.0, slowSeconds, 0.2, "the capped download took " + slowSeconds + " s");
            } finally {
                pool.shutdownNow();
            }
            capped.disconnect();
            free.disconnect();
        }
    }

    @Test
    void statDuringATransferReportsBytesAndRate() throws Exception {
        try (TestServer server = Clients.writable(tempDir).set("local_max_rate", Integer.toString(MIB)).start();
             Clients.Raw raw = new Clients.Raw(server)) {
            server.put("/big.bin", TEN_MIB);
            raw.login();
            try (Socket data = raw.passive()) {
                raw.command("RETR big.bin", 150);
                InputStream in = data.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                long read = 0;
                while (read < MIB) { // bounded: 1 MiB of a 10 MiB file, at 1 MiB/s
                    int n = in.read(buffer);
                    assertTrue(n > 0, "the download ended early");
                    read += n;
                }
                raw.send("STAT");
                String stat = raw.reply();
                assertTrue(stat.startsWith("211-"), stat);
                Matcher m = Pattern.compile("RETR /big.bin, (\\d+) bytes so far, ([\\d.]+) KB/s").matcher(stat);
                assertTrue(m.find(), stat);
                long bytes = Long.parseLong(m.group(1));
                double rate = Double.parseDouble(m.group(2));
                // the server counts a chunk once its write returns, which can be just after the
                // client has read it: allow one chunk of lag
                assertTrue(bytes >= read - 64 * 1024 && bytes < TEN_MIB.length, stat);
                // about 1 MiB/s (1,024 KB/s): the bounds only allow for a busy machine's scheduling; a
                // rate in bytes, in MB/s or of the wrong transfer would be far outside them
                assertTrue(rate > 400 && rate < 2600, stat);
                raw.command("ABOR", 426);
                raw.expect(226);
            }
        }
    }

    private static double timedRetrieve(FTPClient client, String name, int size) throws Exception {
        long start = System.nanoTime();
        long[] count = new long[1];
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        assertTrue(client.retrieveFile(name, counter), client.getReplyString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(size, count[0]);
        return seconds;
    }
}
