package dev.ferry.bench;

import dev.ferry.relay.Link;
import dev.ferry.relay.Relay;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Ferry's S3 backend at a distance: a {@link Relay} puts a round trip (and a per-connection TCP
 * window) between the clients and an in-process S3Proxy, and the same operations run through
 * four clients at each round trip, in the same run:
 * <ol>
 * <li>the AWS SDK, one request per object (one GET or PUT stream);</li>
 * <li>the SDK with {@code parallelism} ranged GETs or parts in flight (s5cmd, rclone);</li>
 * <li>Ferry's storage layer as the server calls it (stat + openRead, stat + openWrite + commit);</li>
 * <li>Ferry over FTP: an FTP client on loopback, Ferry in this JVM, Ferry to S3 through the relay.</li>
 * </ol>
 * Large transfers report the median of {@code rounds}; small-file phases run until all files or
 * the time limit; LIST is the median of three. A pass at no distance runs first and is not counted.
 *
 * <pre>java -Xmx6g -cp benchmarks.jar dev.ferry.bench.DistanceBench [--help]</pre>
 */
public final class DistanceBench {

    private static final String BIG = "big.bin";
    private static final String[] CLIENTS = {"sdk-one", "sdk-parallel", "ferry-storage", "ferry-ftp"};

    private DistanceBench() {
    }

    /** One operation at one round trip, a figure per client (NaN where a client has no such mode). */
    record Row(Duration rtt, String operation, String unit, boolean higherIsBetter, double[] figures) {
    }

    interface Measure {
        double run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        DistanceOptions options;
        try {
            options = DistanceOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<Row> rows = new ArrayList<>();
        try (S3Sandbox sandbox = S3Sandbox.start()) {
            System.err.println("filling the bucket");
            DistanceFixtures.fill(sandbox.endpoint(), options, CLIENTS);
            // one pass at no distance first, thrown away: the JIT compiles every path before a figure counts
            System.err.println("warming up");
            atDistance(sandbox, options.warmUp(), Duration.ZERO, "warm");
            for (Duration rtt : options.roundTrips()) {
                rows.addAll(atDistance(sandbox, options, rtt, "r" + rtt.toMillis()));
            }
        }
        String text = "## S3 at a distance, " + LocalDate.now() + "\n\n" + describe(options) + "\n\n"
                + table(rows, options).render();
        System.out.println(text);
        if (options.out() != null) {
            Files.writeString(options.out(), text);
        }
    }

    private static List<Row> atDistance(S3Sandbox sandbox, DistanceOptions o, Duration rtt, String tag)
            throws Exception {
        Link link = new Link(rtt.dividedBy(2), o.window(), 0);
        List<String> tuning = List.of("s3_read_parallelism=" + o.parallelism(), "s3_read_part_size=" + o.partSize(),
                "s3_upload_concurrency=" + o.parallelism(), "s3_part_size=" + o.partSize());
        List<Row> rows = new ArrayList<>();
        try (Relay relay = Relay.start(sandbox.endpoint(), link);
             SdkTransfers sdk = new SdkTransfers(relay.uri(), S3Sandbox.BUCKET, o.parallelism(), o.partSize());
             DistantFerry direct = DistantFerry.storage(relay.uri(), tuning);
             DistantFerry served = DistantFerry.server(relay.uri(), tuning)) {
            BenchClient ftp = BenchClient.login("127.0.0.1", served.port(), "anonymous", "distance@example.com");
            try {
                measure(o, rtt, tag, sdk, new StorageTransfers(direct.storage()), ftp, rows);
            } finally {
                ftp.quietly();
            }
        }
        return rows;
    }

    private static void measure(DistanceOptions o, Duration rtt, String tag, SdkTransfers sdk,
                                StorageTransfers storage, BenchClient ftp, List<Row> rows) throws Exception {
        long size = o.bigSize();
        byte[] pattern = Fixtures.bytes(64 * 1024, 99);
        String label = "RTT " + rtt.toMillis() + " ms";
        if (o.runs("retr")) {
            System.err.println(label + ": RETR " + Figures.size(size));
            rows.add(new Row(rtt, "RETR " + Figures.size(size), "MB/s", true, new double[] {
                    median(o.rounds(), () -> rate(size, () -> sdk.getOne(BIG))),
                    median(o.rounds(), () -> rate(size, () -> sdk.getParallel(BIG))),
                    median(o.rounds(), () -> rate(size, () -> storage.retr("/" + BIG))),
                    median(o.rounds(), () -> rate(size, () -> ftp.retrieve("/" + BIG, null)))}));
        }
        if (o.runs("stor")) {
            System.err.println(label + ": STOR " + Figures.size(size));
            rows.add(new Row(rtt, "STOR " + Figures.size(size), "MB/s", true, new double[] {
                    median(o.rounds(), () -> rate(size, () -> {
                        sdk.putOne(DistanceFixtures.upload("sdk-one", "big"), size);
                        return size;
                    })),
                    median(o.rounds(), () -> rate(size, () -> {
                        sdk.putParallel(DistanceFixtures.upload("sdk-parallel", "big"), size);
                        return size;
                    })),
                    median(o.rounds(), () -> rate(size, () -> {
                        storage.stor("/" + DistanceFixtures.upload("ferry-storage", "big"), size);
                        return size;
                    })),
                    median(o.rounds(), () -> rate(size, () -> ftp.store("/" + DistanceFixtures.upload("ferry-ftp", "big"),
                            pattern, size)))}));
        }
        if (o.runs("small-retr")) {
            Row plain = small(o, rtt, sdk, storage, ftp);
            rows.add(plain);
            rows.add(smallAfterList(o, rtt, plain, storage, ftp));
        }
        if (o.runs("small-stor")) {
            rows.add(smallStor(o, rtt, tag, sdk, storage, ftp, pattern));
        }
        if (o.runs("list")) {
            System.err.println(label + ": LIST");
            rows.add(new Row(rtt, String.format("LIST %,d keys", o.listKeys()), "ms", false, new double[] {
                    median(3, () -> millis(() -> sdk.list(DistanceFixtures.LIST + "/"), o.listKeys())),
                    Double.NaN,
                    median(3, () -> millis(() -> storage.list("/" + DistanceFixtures.LIST), o.listKeys())),
                    median(3, () -> millis(() -> ftp.listLines("/" + DistanceFixtures.LIST), o.listKeys()))}));
        }
    }

    private static Row small(DistanceOptions o, Duration rtt, SdkTransfers sdk, StorageTransfers storage,
                             BenchClient ftp) throws Exception {
        System.err.println("RTT " + rtt.toMillis() + " ms: RETR small files");
        List<String> keys = DistanceFixtures.smallKeys(o.smallCount());
        List<String> paths = keys.stream().map(k -> "/" + k).toList();
        return new Row(rtt, String.format("RETR %,d × %s", o.smallCount(), Figures.size(o.smallSize())), "files/s",
                true, new double[] {
                        filesPerSecond(o, deadline -> sdk.getEach(keys, 1, deadline)),
                        filesPerSecond(o, deadline -> sdk.getEach(keys, o.parallelism(), deadline)),
                        filesPerSecond(o, deadline -> storage.retrEach(paths, deadline)),
                        filesPerSecond(o, deadline -> retrEach(ftp, paths, o.smallSize(), deadline))});
    }

    /**
     * The same RETRs right after a LIST of their directory (what mirroring clients do), for the
     * s3_cache_ttl (5 s) the listing is remembered; the LIST counts in the time. The SDK figures
     * are those of the plain RETRs: the SDK has no stat to save.
     */
    private static Row smallAfterList(DistanceOptions o, Duration rtt, Row plain, StorageTransfers storage,
                                      BenchClient ftp) throws Exception {
        System.err.println("RTT " + rtt.toMillis() + " ms: RETR small files after LIST");
        List<String> paths = DistanceFixtures.smallKeys(o.smallCount()).stream().map(k -> "/" + k).toList();
        DistanceOptions ttl = o.withLimit(Duration.ofSeconds(5));
        return new Row(rtt, plain.operation() + " after LIST", "files/s", true, new double[] {
                plain.figures()[0], plain.figures()[1],
                filesPerSecond(ttl, deadline -> {
                    storage.list("/" + DistanceFixtures.SMALL);
                    return storage.retrEach(paths, deadline);
                }),
                filesPerSecond(ttl, deadline -> {
                    ftp.listLines("/" + DistanceFixtures.SMALL);
                    return retrEach(ftp, paths, o.smallSize(), deadline);
                })});
    }

    private static int retrEach(BenchClient ftp, List<String> paths, int size, long deadline) throws IOException {
        int done = 0;
        while (done < paths.size() && System.nanoTime() < deadline) {
            expect(size, ftp.retrieve(paths.get(done++), null));
        }
        return done;
    }

    /** New files each time ({@code tag} in the name): a STOR over an existing file costs one request less. */
    private static Row smallStor(DistanceOptions o, Duration rtt, String tag, SdkTransfers sdk,
                                 StorageTransfers storage, BenchClient ftp, byte[] pattern) throws Exception {
        System.err.println("RTT " + rtt.toMillis() + " ms: STOR small files");
        int n = o.smallCount();
        return new Row(rtt, String.format("STOR %,d × %s", n, Figures.size(o.smallSize())), "files/s", true,
                new double[] {
                        filesPerSecond(o, deadline -> sdk.putEach(uploads("sdk-one", tag, n, ""), o.smallSize(), 1, deadline)),
                        filesPerSecond(o, deadline -> sdk.putEach(uploads("sdk-parallel", tag, n, ""), o.smallSize(),
                                o.parallelism(), deadline)),
                        filesPerSecond(o, deadline -> storage.storEach(uploads("ferry-storage", tag, n, "/"), o.smallSize(),
                                deadline)),
                        filesPerSecond(o, deadline -> {
                            List<String> names = uploads("ferry-ftp", tag, n, "/");
                            int done = 0;
                            while (done < n && System.nanoTime() < deadline) {
                                ftp.store(names.get(done++), pattern, o.smallSize());
                            }
                            return done;
                        })});
    }

    private static List<String> uploads(String client, String tag, int count, String root) {
        return IntStream.range(0, count)
                .mapToObj(i -> root + DistanceFixtures.upload(client, String.format("%s-s%04d", tag, i))).toList();
    }

    interface Counted {
        long run() throws Exception;
    }

    interface Bounded {
        int run(long deadline) throws Exception;
    }

    /** MB/s of one transfer of {@code size} bytes. */
    static double rate(long size, Counted transfer) throws Exception {
        long start = System.nanoTime();
        expect(size, transfer.run());
        return size / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    /** Milliseconds of one listing of {@code entries}. */
    static double millis(Counted listing, int entries) throws Exception {
        long start = System.nanoTime();
        expect(entries, listing.run());
        return (System.nanoTime() - start) / 1e6;
    }

    static double filesPerSecond(DistanceOptions o, Bounded phase) throws Exception {
        long start = System.nanoTime();
        int done = phase.run(start + o.limit().toNanos());
        return done / ((System.nanoTime() - start) / 1e9);
    }

    static void expect(long wanted, long got) throws IOException {
        if (wanted != got) {
            throw new IOException("expected " + wanted + " bytes or entries, got " + got);
        }
    }

    static double median(int rounds, Measure measure) throws Exception {
        long[] sample = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            // in thousandths, so that Stats (longs) keeps three decimals
            sample[i] = Math.round(measure.run() * 1000);
        }
        return new Stats(sample).percentile(50) / 1000;
    }

    private static String describe(DistanceOptions o) {
        return String.format("Relay: one-way delay RTT/2 each way, a %s window per connection and direction"
                        + " (at most window ÷ RTT per connection), no bandwidth cap; S3Proxy 4.1.0 transient in this"
                        + " JVM. Parallel: %d ranged GETs / parts of %s in flight (Ferry: s3_read_parallelism and"
                        + " s3_upload_concurrency %d, s3_read_part_size and s3_part_size %s). Large transfers:"
                        + " median of %d; small files: until all %,d or %d s; LIST: median of 3.",
                Figures.size(o.window()), o.parallelism(), Figures.size(o.partSize()), o.parallelism(),
                Figures.size(o.partSize()), o.rounds(), o.smallCount(), o.limit().toSeconds());
    }

    /** Ratios are speeds (for LIST: the SDK's time ÷ Ferry's), so above 1 means Ferry is faster. */
    static MarkdownTable table(List<Row> rows, DistanceOptions o) {
        String k = "×" + o.parallelism();
        MarkdownTable table = new MarkdownTable("RTT", "operation", "unit", "SDK 1 stream", "SDK " + k,
                "Ferry storage", "Ferry FTP", "storage ÷ SDK 1", "storage ÷ SDK " + k, "FTP ÷ SDK 1", "FTP ÷ SDK " + k);
        for (Row row : rows) {
            double[] f = row.figures();
            table.row(row.rtt().toMillis() + " ms", row.operation(), row.unit(), Figures.number(f[0]),
                    Figures.number(f[1]), Figures.number(f[2]), Figures.number(f[3]),
                    speed(row, f[2], f[0]), speed(row, f[2], f[1]), speed(row, f[3], f[0]), speed(row, f[3], f[1]));
        }
        return table;
    }

    private static String speed(Row row, double ferry, double sdk) {
        return row.higherIsBetter() ? Figures.ratio(ferry, sdk) : Figures.ratio(sdk, ferry);
    }
}
