package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One session STORing the big file's size over and over for a fixed time: single-stream upload
 * MB/s and the per-transfer p50, against any server (the JMH suite measures only the embedded ones).
 */
final class StorLoad {

    private static final int MAX_TRANSFERS = 10_000;

    private StorLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures, Duration duration) throws IOException {
        String scenario = "STOR " + Figures.size(fixtures.bigSize()) + ", 1 session";
        byte[] pattern = Fixtures.bytes(64 * 1024, 5);
        List<Long> latencies = new ArrayList<>();
        BenchClient client = target.login();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try {
            for (int done = 0; done < MAX_TRANSFERS && System.nanoTime() < deadline; done++) {
                long t0 = System.nanoTime();
                client.store(LoadFixtures.upload(target, "stor.bin"), pattern, fixtures.bigSize());
                latencies.add(System.nanoTime() - t0);
            }
        } finally {
            client.quietly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Stats stats = new Stats(latencies.stream().mapToLong(Long::longValue).toArray());
        return List.of(
                new Measurement(scenario, "MB/s", Figures.megabytes(stats.count() * fixtures.bigSize() / seconds),
                        Better.HIGHER),
                new Measurement(scenario, "p50 ms", stats.percentile(50) / 1e6, Better.LOWER));
    }
}
