package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * LIST, NLST and MLSD of the 10,000-file directory in one session: the time from the command to
 * the 226 with every line read, for the first call of each (the server has not listed that way
 * yet: a JVM server's code is cold) and the median of five more (warm). A server that refuses a
 * command (vsftpd has no MLSD) gets no figure for it.
 */
final class ListLoad {

    static final List<String> COMMANDS = List.of("LIST", "NLST", "MLSD");
    private static final int REPEATS = 5;
    private static final long LIMIT_NANOS = 60_000_000_000L;

    private ListLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures) throws IOException {
        List<Measurement> all = new ArrayList<>();
        BenchClient client = target.login();
        try {
            for (String command : COMMANDS) {
                all.addAll(one(target, client, command, fixtures.listCount()));
            }
        } finally {
            client.quietly();
        }
        return all;
    }

    private static List<Measurement> one(Target target, BenchClient client, String command, int count)
            throws IOException {
        String scenario = command + " of " + String.format("%,d", count) + " files";
        long start = System.nanoTime();
        int lines;
        try {
            lines = client.listLines(command, LoadFixtures.LIST);
        } catch (BenchClient.Refused e) {
            System.err.println(target.name() + ": " + e.getMessage() + "; no " + command + " figures");
            return List.of();
        }
        long first = System.nanoTime() - start;
        int shortListings = lines < count ? 1 : 0;
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < REPEATS && System.nanoTime() - start < LIMIT_NANOS; i++) {
            long t0 = System.nanoTime();
            lines = client.listLines(command, LoadFixtures.LIST);
            times.add(System.nanoTime() - t0);
            if (lines < count) {
                shortListings++;
            }
        }
        Stats stats = new Stats(times.stream().mapToLong(Long::longValue).toArray());
        return List.of(new Measurement(scenario, "first call ms", first / 1e6, Better.LOWER),
                new Measurement(scenario, "warm median ms", stats.percentile(50) / 1e6, Better.LOWER),
                new Measurement(scenario, "short listings", shortListings, Better.LOWER));
    }
}
