package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens {@code count} logged-in sessions and holds them: the server's memory per session (the
 * difference between samples taken after a GC with one and with all sessions open, divided by the
 * sessions opened), then one NOOP on each to show they are all still served.
 */
final class IdleLoad {

    /** File descriptors this process keeps for itself besides one per session. */
    private static final int SPARE_FDS = 500;

    private IdleLoad() {
    }

    static List<Measurement> run(Target target, int requested) throws Exception {
        return run(target, requested, 100);
    }

    /**
     * {@code parallelism}: logins in flight at once. The C servers get fewer: vsftpd listens with a
     * backlog of 32 and forks per connection, and a flood of connects left some waiting past the
     * client's 60 s for their 220 on this 2-core machine. Memory, not the connect rate, is measured here.
     */
    static List<Measurement> run(Target target, int requested, int parallelism) throws Exception {
        int count = Math.min(requested, openFileLimit() - SPARE_FDS);
        if (count < requested) {
            System.err.println("idle sessions: ulimit -n allows " + count + " of " + requested
                    + "; raise it (see the module README)");
        }
        // one row for all servers, whatever the count each was given: "sessions opened" says it
        String scenario = "idle sessions";
        // one session first, so what loads classes and fills caches once is in the baseline
        BenchClient warm = target.login();
        warm.quietly();
        MemorySample before = target.memory();
        BenchClient[] clients = new BenchClient[count];
        Parallel.Outcome opened = Parallel.run(count, parallelism, Duration.ofSeconds(300),
                i -> clients[i] = target.login());
        Thread.sleep(1000);
        MemorySample after = target.memory();
        AtomicInteger answered = new AtomicInteger();
        Parallel.Outcome noops = Parallel.run(count, 100, Duration.ofSeconds(120), i -> {
            if (clients[i] != null && clients[i].answersNoop()) {
                answered.incrementAndGet();
            }
        });
        Parallel.run(count, 100, Duration.ofSeconds(120), i -> {
            if (clients[i] != null) {
                clients[i].quietly();
            }
        });
        RetrLoad.report(target, scenario, opened, noops);
        double n = opened.succeeded();
        return List.of(
                new Measurement(scenario, "sessions opened", n, Better.HIGHER),
                new Measurement(scenario, "answered NOOP", answered.get(), Better.HIGHER),
                new Measurement(scenario, "heap bytes/session", (after.heapUsed() - before.heapUsed()) / n, Better.LOWER),
                new Measurement(scenario, "RSS bytes/session", (after.rss() - before.rss()) / n, Better.LOWER),
                new Measurement(scenario, "PSS bytes/session", (after.pss() - before.pss()) / n, Better.LOWER));
    }

    /** The soft RLIMIT_NOFILE of this process, from /proc/self/limits; a guess where that is missing. */
    static int openFileLimit() throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (Files.isReadable(limits)) {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(soft);
                }
            }
        }
        return 1024;
    }
}
