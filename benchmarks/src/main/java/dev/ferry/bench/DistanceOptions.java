package dev.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@link DistanceBench} measures and how long it may take.
 *
 * @param roundTrips  the round trips to put between Ferry (and the SDK clients) and S3Proxy
 * @param bigSize     bytes of the large object read and written
 * @param smallCount  how many small objects
 * @param smallSize   bytes of each small object
 * @param listKeys    keys under the listed prefix
 * @param parallelism ranged GETs / parts in flight for the parallel SDK client and for Ferry
 * @param partSize    bytes per ranged GET and per uploaded part
 * @param window      the relay's per-connection window (bytes in flight per round trip)
 * @param rounds      times each large transfer is repeated (the median is reported)
 * @param limit       the time after which a small-file phase stops (files/s is counted over what it did)
 * @param out         a file the Markdown tables also go to; null: standard output only
 * @param operations  which of {@link #OPERATIONS} to measure
 */
record DistanceOptions(List<Duration> roundTrips, long bigSize, int smallCount, int smallSize, int listKeys,
                       int parallelism, long partSize, long window, int rounds, Duration limit, Path out,
                       Set<String> operations) {

    /** Large RETR and STOR, small-file RETR (also after a LIST) and STOR, LIST. */
    static final List<String> OPERATIONS = List.of("retr", "stor", "small-retr", "small-stor", "list");

    private static final List<String> NAMES = List.of("--rtt", "--size", "--files", "--file-size", "--keys",
            "--parallelism", "--part", "--window", "--rounds", "--seconds", "--out", "--only");

    static DistanceOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!NAMES.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException(usage());
            }
            given.put(args[i], args[i + 1]);
        }
        DistanceOptions o = new DistanceOptions(millis(given.getOrDefault("--rtt", "0,10,40")),
                bytes(given.getOrDefault("--size", "256m")),
                Integer.parseInt(given.getOrDefault("--files", "1000")),
                (int) bytes(given.getOrDefault("--file-size", "64k")),
                Integer.parseInt(given.getOrDefault("--keys", "10000")),
                Integer.parseInt(given.getOrDefault("--parallelism", "6")),
                bytes(given.getOrDefault("--part", "8m")),
                bytes(given.getOrDefault("--window", "2m")),
                Integer.parseInt(given.getOrDefault("--rounds", "3")),
                Duration.ofSeconds(Long.parseLong(given.getOrDefault("--seconds", "15"))),
                given.containsKey("--out") ? Path.of(given.get("--out")) : null,
                Set.copyOf(List.of(given.getOrDefault("--only", String.join(",", OPERATIONS)).split(","))));
        if (!OPERATIONS.containsAll(o.operations)) {
            throw new IllegalArgumentException("--only takes some of " + OPERATIONS);
        }
        if (o.parallelism < 2 || o.rounds < 1 || o.smallCount < 1 || o.listKeys < 1 || o.partSize < (5L << 20)) {
            throw new IllegalArgumentException("--parallelism >= 2, --rounds, --files, --keys >= 1, --part >= 5m");
        }
        return o;
    }

    /** One round of everything, small-file phases cut at 3 s: enough for the JIT, not a figure. */
    DistanceOptions warmUp() {
        return new DistanceOptions(List.of(Duration.ZERO), bigSize, smallCount, smallSize, listKeys, parallelism,
                partSize, window, 1, Duration.ofSeconds(3), null, operations);
    }

    DistanceOptions withLimit(Duration time) {
        return new DistanceOptions(roundTrips, bigSize, smallCount, smallSize, listKeys, parallelism, partSize, window,
                rounds, time, out, operations);
    }

    boolean runs(String operation) {
        return operations.contains(operation);
    }

    static String usage() {
        return """
                usage: DistanceBench [--rtt 0,10,40] [--size 256m] [--files 1000] [--file-size 64k]
                                     [--keys 10000] [--parallelism 6] [--part 8m] [--window 2m]
                                     [--rounds 3] [--seconds 15] [--out FILE]
                                     [--only retr,stor,small-retr,small-stor,list]""";
    }

    private static List<Duration> millis(String list) {
        List<Duration> result = new ArrayList<>();
        for (String part : list.split(",")) {
            result.add(Duration.ofMillis(Long.parseLong(part.trim())));
        }
        return result;
    }

    /** 64k, 8m, 1g or a plain byte count. */
    static long bytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }
}
