package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Connect, log in, QUIT, as fast as {@code workers} concurrent clients can, for a fixed time. */
final class LoginLoad {

    private static final int MAX_PER_WORKER = 1_000_000;

    private LoginLoad() {
    }

    static List<Measurement> run(Target target, int workers, Duration duration) throws InterruptedException {
        String scenario = "connect + login + QUIT, " + workers + " workers";
        AtomicLong logins = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        Parallel.Outcome outcome = Parallel.run(workers, workers, duration.plusSeconds(60), i -> {
            for (int done = 0; done < MAX_PER_WORKER && System.nanoTime() < deadline; done++) {
                BenchClient client = target.login();
                client.logout();
                client.disconnect();
                logins.incrementAndGet();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        RetrLoad.report(target, scenario, outcome);
        return List.of(new Measurement(scenario, "logins/s", logins.get() / seconds, Better.HIGHER),
                new Measurement(scenario, "failed workers", outcome.failed(), Better.LOWER));
    }
}
