package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One session STORing {@code size} bytes over and over for a fixed time: single-stream upload
 * MB/s and the per-transfer p50, against any server (the JMH suite measures only the embedded ones).
 * Each upload gets a new name and the tool deletes the one before from the fixture directory, since
 * pure-ftpd's anonymous users may not replace a file; so at most two uploads are on disk at a time.
 */
final class StorLoad {

    private StorLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures, long size, Duration duration,
            int maxTransfers) throws IOException {
        String scenario = "STOR " + Figures.size(size) + ", 1 session";
        byte[] pattern = Fixtures.bytes(64 * 1024, 5);
        List<Long> latencies = new ArrayList<>();
        BenchClient client = target.login();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        String previous = null;
        try {
            for (int done = 0; done < maxTransfers && System.nanoTime() < deadline; done++) {
                String name = LoadFixtures.upload(target, "stor-" + Figures.size(size).replace(" ", "") + "-" + done
                        + ".bin");
                long t0 = System.nanoTime();
                client.store(name, pattern, size);
                latencies.add(System.nanoTime() - t0);
                if (previous != null) {
                    Files.deleteIfExists(fixtures.root().resolve(previous));
                }
                previous = name;
            }
        } finally {
            client.quietly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (previous != null) {
            Files.deleteIfExists(fixtures.root().resolve(previous));
        }
        Stats stats = new Stats(latencies.stream().mapToLong(Long::longValue).toArray());
        return List.of(
                new Measurement(scenario, "MB/s", Figures.megabytes(stats.count() * size / seconds), Better.HIGHER),
                new Measurement(scenario, "p50 ms", stats.percentile(50) / 1e6, Better.LOWER));
    }
}
