package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suites with one profile and prints the results as Markdown tables of ratios
 * against the baseline measured in the same run.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ferry.bench.Suite short [results.md]   # under 10 minutes
 * java -cp benchmarks.jar dev.ferry.bench.Suite full  [results.md]   # adds 1 GiB, more iterations
 * </pre>
 */
public final class Suite {

    private static final int[] THREADS = {1, 8, 64};

    private Suite() {
    }

    /** How long and how often JMH measures. */
    record Profile(String name, List<String> sizes, int forks, int warmups, TimeValue warmupTime,
            int iterations, TimeValue iterationTime, TimeValue limiterTime, TimeValue copyTime, String heap) {

        static Profile named(String name) {
            return switch (name) {
                case "short" -> new Profile(name, List.of("4096", "10485760"), 1, 2, TimeValue.seconds(2), 3,
                        TimeValue.seconds(3), TimeValue.seconds(2), TimeValue.seconds(1), "-Xmx2g");
                // 1 GiB: the in-memory backend holds the file and an upload of it at once
                case "full" -> new Profile(name, List.of("4096", "10485760", "1073741824"), 2, 3,
                        TimeValue.seconds(5), 5, TimeValue.seconds(10), TimeValue.seconds(5), TimeValue.seconds(5),
                        "-Xmx6g");
                default -> throw new IllegalArgumentException("profile is short or full, not " + name);
            };
        }
    }

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Suite short|full [results.md]");
            System.exit(2);
        }
        Profile profile = Profile.named(args[0]);
        List<RunResult> transfers = new ArrayList<>(new Runner(transferOptions(profile)).run());
        transfers.addAll(new Runner(backendOptions(profile)).run());
        Collection<RunResult> tls = new Runner(tlsOptions(profile)).run();
        Collection<RunResult> handshakes = new Runner(handshakeOptions(profile)).run();
        Collection<RunResult> copies = new Runner(copyOptions(profile)).run();
        List<RunResult> limiter = new ArrayList<>();
        for (int threads : THREADS) {
            limiter.addAll(new Runner(limiterOptions(profile, threads)).run());
        }
        String report = "## JMH, " + profile.name() + " profile, " + LocalDate.now() + "\n\n"
                + transferTable(transfers).render() + "\n" + backendTable(transfers).render() + "\n"
                + tlsTable(tls).render() + "\n" + handshakeTable(handshakes).render() + "\n"
                + copyTable(copies).render() + "\n"
                + limiterTable(limiter).render();
        System.out.println();
        System.out.println(report);
        if (args.length == 2) {
            Files.writeString(Path.of(args[1]), report);
        }
    }

    private static ChainedOptionsBuilder common(Profile profile) {
        return new OptionsBuilder()
                .forks(profile.forks())
                .warmupIterations(profile.warmups())
                .warmupTime(profile.warmupTime())
                .measurementIterations(profile.iterations())
                .jvmArgsAppend(profile.heap())
                .shouldFailOnError(true);
    }

    private static org.openjdk.jmh.runner.options.Options transferOptions(Profile profile) {
        return common(profile)
                .include(TransferBenchmark.class.getName() + "\\.")
                .param("server", Servers.FERRY_MEMORY, Servers.FERRY_LOCAL, Servers.FTPSERVER)
                .param("size", profile.sizes().toArray(String[]::new))
                .measurementTime(profile.iterationTime())
                .threads(1)
                .build();
    }

    /**
     * The benchmarks added to the suite later run lighter (one warm-up, two iterations as long as
     * the limiter's), so the short profile stays near 10 minutes; their figures are noisier.
     */
    private static ChainedOptionsBuilder light(Profile profile) {
        return common(profile)
                .warmupIterations(1)
                .warmupTime(profile.limiterTime())
                .measurementIterations(2)
                .measurementTime(profile.limiterTime())
                .threads(1);
    }

    /** Ferry on S3 (S3Proxy) and VFS ram://, without 1 GiB: both hold every byte in this JVM's heap. */
    private static org.openjdk.jmh.runner.options.Options backendOptions(Profile profile) {
        return light(profile)
                .include(TransferBenchmark.class.getName() + "\\.")
                .param("server", Servers.FERRY_S3, Servers.FERRY_VFS)
                .param("size", "4096", "10485760")
                .build();
    }

    private static org.openjdk.jmh.runner.options.Options tlsOptions(Profile profile) {
        return light(profile).include(TlsBenchmark.class.getName() + "\\.").build();
    }

    private static org.openjdk.jmh.runner.options.Options handshakeOptions(Profile profile) {
        return light(profile).include(HandshakeBenchmark.class.getName() + "\\.").build();
    }

    /**
     * 10 MiB per copy: even one-second iterations (short profile) hold dozens of copies. The short
     * profile leaves out channel-direct-256 to stay under 10 minutes.
     */
    private static org.openjdk.jmh.runner.options.Options copyOptions(Profile profile) {
        ChainedOptionsBuilder options = light(profile)
                .include(CopyBenchmark.class.getName() + "\\.")
                .warmupTime(profile.copyTime())
                .measurementTime(profile.copyTime());
        if (profile.name().equals("short")) {
            options.param("strategy", "stream-8", CopyBenchmark.PRODUCT, "stream-256", "channel-heap-64",
                    "channel-direct-64", CopyBenchmark.SENDFILE_POOL);
        }
        return options.build();
    }

    private static org.openjdk.jmh.runner.options.Options limiterOptions(Profile profile, int threads) {
        return common(profile)
                .include(RateLimiterBenchmark.class.getName() + "\\.")
                .measurementTime(profile.limiterTime())
                .threads(threads)
                .build();
    }

    /** Bytes/s of one transfer benchmark, or NaN when it did not run. */
    static double bytesPerSecond(Collection<RunResult> results, String op, String server, String size) {
        for (RunResult run : results) {
            var params = run.getParams();
            if (params.getBenchmark().endsWith("." + op) && server.equals(params.getParam("server"))
                    && size.equals(params.getParam("size"))) {
                Result<?> bytes = run.getSecondaryResults().get("bytes");
                return bytes == null ? Double.NaN : bytes.getScore();
            }
        }
        return Double.NaN;
    }

    static MarkdownTable transferTable(Collection<RunResult> results) {
        MarkdownTable table = new MarkdownTable("transfer", "size", "Ferry memory MB/s", "Ferry local MB/s",
                "FtpServer MB/s", "Ferry local ÷ FtpServer", "Ferry memory ÷ FtpServer", "target");
        List<String> sizes = results.stream().map(r -> r.getParams().getParam("size")).distinct()
                .sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
        for (String op : List.of("retr", "stor")) {
            for (String size : sizes) {
                double memory = bytesPerSecond(results, op, Servers.FERRY_MEMORY, size);
                double local = bytesPerSecond(results, op, Servers.FERRY_LOCAL, size);
                double baseline = bytesPerSecond(results, op, Servers.FTPSERVER, size);
                table.row(op.toUpperCase(), Figures.size(Long.parseLong(size)),
                        Figures.number(Figures.megabytes(memory)), Figures.number(Figures.megabytes(local)),
                        Figures.number(Figures.megabytes(baseline)), Figures.ratio(local, baseline),
                        Figures.ratio(memory, baseline), Long.parseLong(size) <= 4096 ? "≥ 100× (small files)" : "≥ 2×");
            }
        }
        return table;
    }

    /** Ferry on S3 and VFS against FtpServer on disk (FtpServer measured in the main transfer run). */
    static MarkdownTable backendTable(Collection<RunResult> results) {
        MarkdownTable table = new MarkdownTable("transfer", "size", "Ferry S3 MB/s", "Ferry VFS MB/s",
                "FtpServer MB/s", "Ferry S3 ÷ FtpServer", "Ferry VFS ÷ FtpServer");
        for (String op : List.of("retr", "stor")) {
            for (String size : List.of("4096", "10485760")) {
                double s3 = bytesPerSecond(results, op, Servers.FERRY_S3, size);
                double vfs = bytesPerSecond(results, op, Servers.FERRY_VFS, size);
                double baseline = bytesPerSecond(results, op, Servers.FTPSERVER, size);
                table.row(op.toUpperCase(), Figures.size(Long.parseLong(size)),
                        Figures.number(Figures.megabytes(s3)), Figures.number(Figures.megabytes(vfs)),
                        Figures.number(Figures.megabytes(baseline)), Figures.ratio(s3, baseline),
                        Figures.ratio(vfs, baseline));
            }
        }
        return table;
    }

    /** Bytes/s of a TlsBenchmark operation for one transport, or NaN. */
    static double tlsBytesPerSecond(Collection<RunResult> results, String op, String transport) {
        for (RunResult run : results) {
            var params = run.getParams();
            if (params.getBenchmark().endsWith("." + op) && transport.equals(params.getParam("transport"))) {
                Result<?> bytes = run.getSecondaryResults().get("bytes");
                return bytes == null ? Double.NaN : bytes.getScore();
            }
        }
        return Double.NaN;
    }

    static MarkdownTable tlsTable(Collection<RunResult> results) {
        MarkdownTable table = new MarkdownTable("Ferry, 10 MiB", "plain MB/s", "FTPS (PROT P, TLS 1.3) MB/s",
                "FTPS ÷ plain");
        for (String op : List.of("retr", "stor")) {
            double plain = tlsBytesPerSecond(results, op, TlsBenchmark.PLAIN);
            double tls = tlsBytesPerSecond(results, op, TlsBenchmark.FTPS);
            table.row(op.toUpperCase(), Figures.number(Figures.megabytes(plain)),
                    Figures.number(Figures.megabytes(tls)), Figures.ratio(tls, plain));
        }
        return table;
    }

    static MarkdownTable handshakeTable(Collection<RunResult> results) {
        MarkdownTable table = new MarkdownTable("TLS 1.3 connection (loopback, JSSE)", "ms per connection",
                "÷ full");
        double full = Double.NaN;
        for (RunResult run : results) {
            if (HandshakeBenchmark.FULL.equals(run.getParams().getParam("handshake"))) {
                full = run.getPrimaryResult().getScore();
            }
        }
        for (String kind : List.of(HandshakeBenchmark.FULL, HandshakeBenchmark.RESUMED)) {
            for (RunResult run : results) {
                if (kind.equals(run.getParams().getParam("handshake"))) {
                    double ms = run.getPrimaryResult().getScore();
                    table.row(kind + " handshake", Figures.number(ms), Figures.ratio(ms, full));
                }
            }
        }
        return table;
    }

    /** Each copy strategy against the product's (stream-64) in the same direction. */
    static MarkdownTable copyTable(Collection<RunResult> results) {
        MarkdownTable table = new MarkdownTable("direction", "strategy", "MB/s", "÷ " + CopyBenchmark.PRODUCT);
        for (String direction : List.of("download", "upload")) {
            double product = copyBytesPerSecond(results, direction, CopyBenchmark.PRODUCT);
            for (RunResult run : results) {
                var params = run.getParams();
                if (direction.equals(params.getParam("direction"))) {
                    double rate = copyBytesPerSecond(results, direction, params.getParam("strategy"));
                    table.row(direction, params.getParam("strategy"), Figures.number(Figures.megabytes(rate)),
                            Figures.ratio(rate, product));
                }
            }
        }
        return table;
    }

    static double copyBytesPerSecond(Collection<RunResult> results, String direction, String strategy) {
        for (RunResult run : results) {
            var params = run.getParams();
            if (direction.equals(params.getParam("direction")) && strategy.equals(params.getParam("strategy"))) {
                Result<?> bytes = run.getSecondaryResults().get("bytes");
                return bytes == null ? Double.NaN : bytes.getScore();
            }
        }
        return Double.NaN;
    }

    static MarkdownTable limiterTable(List<RunResult> results) {
        MarkdownTable table = new MarkdownTable("rate limiter", "threads", "ns per acquire (per thread)",
                "achieved MB/s", "configured MB/s", "achieved ÷ configured");
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            int threads = run.getParams().getThreads();
            double opsPerSecond = run.getPrimaryResult().getScore();
            double nanos = 1e9 * threads / opsPerSecond;
            Result<?> bytes = run.getSecondaryResults().get("bytes");
            if (bytes == null) {
                table.row(name, String.valueOf(threads), Figures.number(nanos), "", "", "");
            } else {
                // own buckets: RATE each; the shared bucket: RATE for all threads together
                double configured = name.startsWith("own") ? (double) RateLimiterBenchmark.RATE * threads
                        : RateLimiterBenchmark.RATE;
                table.row(name, String.valueOf(threads), Figures.number(nanos),
                        Figures.number(Figures.megabytes(bytes.getScore())),
                        Figures.number(Figures.megabytes(configured)), Figures.ratio(bytes.getScore(), configured));
            }
        }
        return table;
    }
}
