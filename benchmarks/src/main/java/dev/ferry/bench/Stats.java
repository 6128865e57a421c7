package dev.ferry.bench;

import java.util.Arrays;

/** Order statistics of a sample of latencies, by the nearest-rank method (no interpolation). */
public final class Stats {

    private final long[] sorted;

    public Stats(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /**
     * The smallest value with at least {@code p} percent of the sample at or below it; NaN for an
     * empty sample. p50 of {1, 2, 3, 4} is 2, p99 of 100 values is the 99th smallest.
     */
    public double percentile(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
