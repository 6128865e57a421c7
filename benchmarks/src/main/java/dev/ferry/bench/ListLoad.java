package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** LIST of the 10,000-file directory in one session: time from the command to the 226. */
final class ListLoad {

    private static final int REPEATS = 5;
    private static final long LIMIT_NANOS = 60_000_000_000L;

    private ListLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures) throws IOException {
        String scenario = "LIST of " + String.format("%,d", fixtures.listCount()) + " files";
        List<Long> times = new ArrayList<>();
        int shortListings = 0;
        BenchClient client = target.login();
        try {
            long start = System.nanoTime();
            // the first listing warms the server's caches and JIT; it is not counted
            client.listLines(LoadFixtures.LIST);
            for (int i = 0; i < REPEATS && System.nanoTime() - start < LIMIT_NANOS; i++) {
                long t0 = System.nanoTime();
                int lines = client.listLines(LoadFixtures.LIST);
                times.add(System.nanoTime() - t0);
                if (lines < fixtures.listCount()) {
                    shortListings++;
                }
            }
        } finally {
            client.quietly();
        }
        Stats stats = new Stats(times.stream().mapToLong(Long::longValue).toArray());
        return List.of(new Measurement(scenario, "median ms to 226", stats.percentile(50) / 1e6, Better.LOWER),
                new Measurement(scenario, "short listings", shortListings, Better.LOWER));
    }
}
