package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * N sessions, logged in first, then all RETR the 10 MiB file over and over for a fixed time;
 * every transfer's length and CRC-32 are checked. Aggregate MB/s counts the bytes of every
 * completed transfer over the time from the common start to the end of the last one.
 */
final class RetrLoad {

    /** A bound on transfers per session, on top of the time bound. */
    private static final int MAX_PER_SESSION = 10_000;

    private RetrLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures, int sessions, Duration duration)
            throws InterruptedException {
        return run(target, LoadFixtures.BIG, fixtures.bigSize(), fixtures.bigCrc(), sessions, duration,
                MAX_PER_SESSION);
    }

    /** The same with any fixture file of known size and CRC, at most {@code maxPerSession} transfers each. */
    static List<Measurement> run(Target target, String file, long size, long expectedCrc, int sessions,
            Duration duration, int maxPerSession) throws InterruptedException {
        String scenario = "RETR " + Figures.size(size) + ", N=" + sessions;
        BenchClient[] clients = new BenchClient[sessions];
        Parallel.Outcome logins = Parallel.run(sessions, 50, Duration.ofSeconds(120),
                i -> clients[i] = target.login());
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger corrupt = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        Parallel.Outcome transfers = Parallel.run(sessions, sessions, duration.plusSeconds(120), i -> {
            BenchClient client = clients[i];
            if (client == null) {
                throw new IOException("session " + i + " never logged in");
            }
            for (int done = 0; done < maxPerSession && System.nanoTime() < deadline; done++) {
                CRC32 crc = new CRC32();
                long t0 = System.nanoTime();
                long n = client.retrieve(file, crc);
                latencies.add(System.nanoTime() - t0);
                if (n != size || crc.getValue() != expectedCrc) {
                    corrupt.incrementAndGet();
                }
                bytes.addAndGet(n);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Parallel.run(sessions, 100, Duration.ofSeconds(60), i -> {
            if (clients[i] != null) {
                clients[i].quietly();
            }
        });
        report(target, scenario, logins, transfers);
        Stats stats = new Stats(latencies.stream().mapToLong(Long::longValue).toArray());
        return List.of(
                new Measurement(scenario, "aggregate MB/s", Figures.megabytes(bytes.get() / seconds), Better.HIGHER),
                new Measurement(scenario, "p50 ms", stats.percentile(50) / 1e6, Better.LOWER),
                new Measurement(scenario, "p99 ms", stats.percentile(99) / 1e6, Better.LOWER),
                new Measurement(scenario, "transfers", stats.count(), Better.NEITHER),
                new Measurement(scenario, "checksum mismatches", corrupt.get(), Better.LOWER),
                new Measurement(scenario, "failed sessions", logins.failed() + transfers.failed(), Better.LOWER));
    }

    static void report(Target target, String scenario, Parallel.Outcome... outcomes) {
        for (Parallel.Outcome outcome : outcomes) {
            if (outcome.firstFailure() != null) {
                System.err.println(target.name() + ", " + scenario + ": " + outcome.failed() + " failed, first: "
                        + outcome.firstFailure());
            }
        }
    }
}
