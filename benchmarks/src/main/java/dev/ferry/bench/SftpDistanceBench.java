package dev.ferry.bench;

import dev.ferry.relay.Link;
import dev.ferry.relay.Relay;
import dev.ferry.storage.vfs.OpenSshServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ferry's VFS backend on {@code sftp://} at a distance: a stock OpenSSH sshd ({@code MaxSessions 10})
 * on a loopback port, a {@link Relay} putting a round trip (and a per-connection window) in front of
 * it, and the same operations through two clients at each round trip, in the same run:
 * <ol>
 * <li>OpenSSH's {@code sftp} client with its defaults (64 requests of 32 KiB in flight), in batch mode
 * through the relay; each figure is the batch's time minus the median time of a batch that only
 * connects, so the SSH handshake is not counted against it;</li>
 * <li>Ferry over FTP: an FTP client on loopback, Ferry in this JVM, Ferry to sshd through the relay
 * (its SSH connections open before the clock starts).</li>
 * </ol>
 * Needs {@code sshd}, {@code ssh-keygen} and {@code sftp} (Debian: openssh-server, openssh-client).
 *
 * <pre>java -Xmx4g -cp benchmarks.jar dev.ferry.bench.SftpDistanceBench [--rtt 0,10,40] [--only ...]</pre>
 */
public final class SftpDistanceBench {

    private static final Path SFTP = Path.of("/usr/bin/sftp");
    /** sftp batches of small files: short enough to stop near the time limit. */
    private static final int BATCH = 50;

    private final DistanceOptions options;
    private final Path work;
    private final OpenSshServer sshd;
    private final Path served;

    private SftpDistanceBench(DistanceOptions options, Path work, OpenSshServer sshd, Path served) {
        this.options = options;
        this.work = work;
        this.sshd = sshd;
        this.served = served;
    }

    /** One operation at one round trip: the sftp client's figure and Ferry's. */
    record Row(Duration rtt, String operation, String unit, boolean higherIsBetter, double sftp, double ferry) {
    }

    public static void main(String[] args) throws Exception {
        DistanceOptions options;
        try {
            options = DistanceOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().replace("DistanceBench", "SftpDistanceBench"));
            System.exit(2);
            return;
        }
        if (!OpenSshServer.available() || !Files.isExecutable(SFTP)) {
            System.err.println("SftpDistanceBench needs sshd, ssh-keygen and sftp (Debian: openssh-server openssh-client)");
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("ferry-sftp-distance");
        List<Row> rows = new ArrayList<>();
        try (OpenSshServer sshd = OpenSshServer.start(Files.createDirectory(work.resolve("sshd")), 10)) {
            Path served = Files.createDirectory(work.resolve("served"));
            System.err.println("writing the files");
            fill(served, options);
            SftpDistanceBench bench = new SftpDistanceBench(options, work, sshd, served);
            System.err.println("warming up");
            bench.atDistance(options.warmUp(), Duration.ZERO);
            for (Duration rtt : options.roundTrips()) {
                rows.addAll(bench.atDistance(options, rtt));
            }
        } finally {
            Fixtures.deleteTree(work);
        }
        String text = "## SFTP at a distance, " + LocalDate.now() + "\n\n" + describe(options) + "\n\n"
                + table(rows).render();
        System.out.println(text);
        if (options.out() != null) {
            Files.writeString(options.out(), text);
        }
    }

    private static void fill(Path served, DistanceOptions o) throws IOException {
        Fixtures.writeRandom(served.resolve("big.bin"), o.bigSize(), 1);
        Files.createDirectories(served.resolve(DistanceFixtures.SMALL));
        byte[] small = Fixtures.bytes(o.smallSize(), 5);
        for (int i = 0; i < o.smallCount(); i++) {
            Files.write(served.resolve(String.format("%s/s%04d", DistanceFixtures.SMALL, i)), small);
        }
        Files.createDirectories(served.resolve(DistanceFixtures.LIST));
        for (int i = 0; i < o.listKeys(); i++) {
            Files.createFile(served.resolve(String.format("%s/k%05d", DistanceFixtures.LIST, i)));
        }
        Files.createDirectories(served.resolve("up"));
    }

    private List<Row> atDistance(DistanceOptions o, Duration rtt) throws Exception {
        Link link = new Link(rtt.dividedBy(2), o.window(), 0);
        List<Row> rows = new ArrayList<>();
        try (Relay relay = Relay.start(new InetSocketAddress("127.0.0.1", sshd.port()), link);
             DistantFerry ferry = DistantFerry.server(List.of("storage=vfs",
                     "vfs_root=sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + relay.port() + served,
                     "vfs_sftp_private_key_file=" + sshd.userKey(), "vfs_sftp_strict_host_key_checking=NO",
                     "vfs_sftp_no_exec=YES", "vfs_timeout=60s"))) {
            SftpClient sftp = new SftpClient(relay.port());
            BenchClient ftp = BenchClient.login("127.0.0.1", ferry.port(), "anonymous", "distance@example.com");
            try {
                measure(o, rtt, sftp, ftp, rows);
            } finally {
                ftp.quietly();
            }
        }
        return rows;
    }

    private void measure(DistanceOptions o, Duration rtt, SftpClient sftp, BenchClient ftp, List<Row> rows)
            throws Exception {
        long size = o.bigSize();
        String label = "RTT " + rtt.toMillis() + " ms";
        String tag = "r" + rtt.toMillis() + "-" + System.nanoTime();
        if (o.runs("retr")) {
            System.err.println(label + ": RETR " + Figures.size(size));
            Path copy = work.resolve("got.bin");
            rows.add(new Row(rtt, "RETR " + Figures.size(size), "MB/s", true,
                    DistanceBench.median(o.rounds(), () -> size / 1e6 / sftp.seconds("get big.bin " + copy)),
                    DistanceBench.median(o.rounds(), () -> DistanceBench.rate(size, () -> ftp.retrieve("/big.bin", null)))));
            Files.deleteIfExists(copy);
        }
        if (o.runs("stor")) {
            System.err.println(label + ": STOR " + Figures.size(size));
            byte[] pattern = Fixtures.bytes(64 * 1024, 99);
            Path source = served.resolve("big.bin");
            int[] round = {0};
            rows.add(new Row(rtt, "STOR " + Figures.size(size), "MB/s", true,
                    DistanceBench.median(o.rounds(), () -> size / 1e6
                            / sftp.seconds("put " + source + " up/sftp-" + tag + "-" + round[0]++)),
                    DistanceBench.median(o.rounds(), () -> DistanceBench.rate(size,
                            () -> ftp.store("/up/ferry-" + tag + "-" + round[0]++, pattern, size)))));
        }
        if (o.runs("small-retr")) {
            System.err.println(label + ": RETR small files");
            Path into = Files.createDirectories(work.resolve("got"));
            rows.add(new Row(rtt, String.format("RETR %,d × %s", o.smallCount(), Figures.size(o.smallSize())),
                    "files/s", true,
                    sftpFilesPerSecond(o, sftp, i -> String.format("get %s/s%04d %s/s%04d", DistanceFixtures.SMALL, i,
                            into, i)),
                    DistanceBench.filesPerSecond(o, deadline -> {
                        int done = 0;
                        while (done < o.smallCount() && System.nanoTime() < deadline) {
                            DistanceBench.expect(o.smallSize(), ftp.retrieve(String.format("/%s/s%04d",
                                    DistanceFixtures.SMALL, done++), null));
                        }
                        return done;
                    })));
            Fixtures.deleteTree(into);
        }
        if (o.runs("small-stor")) {
            System.err.println(label + ": STOR small files");
            Path source = served.resolve(DistanceFixtures.SMALL + "/s0000");
            byte[] pattern = Fixtures.bytes(o.smallSize(), 5);
            rows.add(new Row(rtt, String.format("STOR %,d × %s", o.smallCount(), Figures.size(o.smallSize())),
                    "files/s", true,
                    sftpFilesPerSecond(o, sftp, i -> String.format("put %s up/sftp-%s-s%04d", source, tag, i)),
                    DistanceBench.filesPerSecond(o, deadline -> {
                        int done = 0;
                        while (done < o.smallCount() && System.nanoTime() < deadline) {
                            ftp.store(String.format("/up/ferry-%s-s%04d", tag, done++), pattern, o.smallSize());
                        }
                        return done;
                    })));
        }
        if (o.runs("list")) {
            System.err.println(label + ": LIST");
            rows.add(new Row(rtt, String.format("LIST %,d files", o.listKeys()), "ms", false,
                    DistanceBench.median(3, () -> sftp.seconds("ls -l " + DistanceFixtures.LIST) * 1000),
                    DistanceBench.median(3, () -> DistanceBench.millis(() -> ftp.listLines("/" + DistanceFixtures.LIST),
                            o.listKeys()))));
        }
    }

    interface Command {
        String of(int index);
    }

    /** Files per second over batches of {@link #BATCH} commands until all files or the time limit. */
    private static double sftpFilesPerSecond(DistanceOptions o, SftpClient sftp, Command command) throws Exception {
        long deadline = System.nanoTime() + o.limit().toNanos();
        int done = 0;
        double seconds = 0;
        while (done < o.smallCount() && System.nanoTime() < deadline) {
            List<String> batch = new ArrayList<>();
            for (int i = done; i < Math.min(done + BATCH, o.smallCount()); i++) {
                batch.add(command.of(i));
            }
            seconds += sftp.seconds(String.join("\n", batch));
            done += batch.size();
        }
        return done / seconds;
    }

    /** OpenSSH's sftp in batch mode through the relay, logged in with the sshd's user key. */
    private final class SftpClient {

        private final int port;
        private final double connectSeconds;

        SftpClient(int port) throws Exception {
            this.port = port;
            long[] connects = new long[3];
            for (int i = 0; i < connects.length; i++) {
                connects[i] = run("pwd");
            }
            this.connectSeconds = new Stats(connects).percentile(50) / 1e9;
        }

        /** Seconds the batch took beyond a connect-only batch (never below a millisecond). */
        double seconds(String commands) throws Exception {
            return Math.max(1e-3, run(commands) / 1e9 - connectSeconds);
        }

        private long run(String commands) throws Exception {
            Path batch = Files.writeString(work.resolve("batch"), "cd " + served + "\n" + commands + "\n");
            Path output = work.resolve("sftp.out");
            List<String> command = List.of(SFTP.toString(), "-q", "-b", batch.toString(), "-i",
                    sshd.userKey().toString(), "-P", String.valueOf(port), "-o", "StrictHostKeyChecking=no",
                    "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                    System.getProperty("user.name") + "@127.0.0.1");
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("sftp did not finish in 10 minutes");
            }
            long elapsed = System.nanoTime() - start;
            if (process.exitValue() != 0) {
                throw new IOException("sftp failed (" + process.exitValue() + "): " + Files.readString(output));
            }
            return elapsed;
        }
    }

    private static String describe(DistanceOptions o) {
        return String.format("Relay: one-way delay RTT/2 each way, a %s window per connection and direction, no"
                        + " bandwidth cap; OpenSSH sshd with its defaults (MaxSessions 10) on loopback. sftp: OpenSSH's"
                        + " client in batch mode with its defaults, time beyond a connect-only batch; small files in"
                        + " batches of %d. Ferry: vfs_root=sftp://... through the relay, an FTP client on loopback."
                        + " Large transfers: median of %d; small files: until all %,d or %d s; LIST: median of 3.",
                Figures.size(o.window()), BATCH, o.rounds(), o.smallCount(), o.limit().toSeconds());
    }

    /** Ratios are speeds (for LIST: sftp's time ÷ Ferry's), so above 1 means Ferry is faster. */
    static MarkdownTable table(List<Row> rows) {
        MarkdownTable table = new MarkdownTable("RTT", "operation", "unit", "sftp", "Ferry FTP", "Ferry ÷ sftp");
        for (Row row : rows) {
            table.row(row.rtt().toMillis() + " ms", row.operation(), row.unit(), Figures.number(row.sftp()),
                    Figures.number(row.ferry()), row.higherIsBetter() ? Figures.ratio(row.ferry(), row.sftp())
                            : Figures.ratio(row.sftp(), row.ferry()));
        }
        return table;
    }
}
