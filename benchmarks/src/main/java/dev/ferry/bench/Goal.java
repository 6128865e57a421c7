package dev.ferry.bench;

import java.util.List;
import java.util.Optional;

/**
 * A target from the issue, as a ratio Ferry ÷ baseline (same run), optionally with an absolute
 * bound on Ferry's own figure.
 */
record Goal(String scenarioPrefix, String metric, String text, double ratio, boolean atLeast, double absoluteMax) {

    /** The load targets against Apache FtpServer. */
    static final List<Goal> LOAD = List.of(
            new Goal("RETR 10 MiB, N=500", "aggregate MB/s", "≥ 5×", 5, true, Double.NaN),
            new Goal("connect + login", "logins/s", "≥ 1×", 1, true, Double.NaN),
            new Goal("idle sessions", "heap bytes/session", "≤ 1× and ≤ 20 kB", 1, false, 20_000),
            new Goal("LIST of", "median ms to 226", "≤ 50 ms (vsftpd target)", Double.NaN, false, 50),
            new Goal("1,000 × 4 KiB", "RETR files/s", "≥ 100×", 100, true, Double.NaN),
            new Goal("1,000 × 4 KiB", "STOR files/s", "≥ 100×", 100, true, Double.NaN));

    static Optional<Goal> of(String scenario, String metric) {
        return LOAD.stream().filter(g -> scenario.contains(g.scenarioPrefix()) && metric.equals(g.metric()))
                .findFirst();
    }

    /** Whether Ferry's {@code value} against {@code baseline} meets the goal; NaN figures never do. */
    boolean met(double value, double baseline) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (!Double.isNaN(absoluteMax) && value > absoluteMax) {
            return false;
        }
        if (Double.isNaN(ratio)) {
            return true;
        }
        if (Double.isNaN(baseline) || baseline == 0) {
            return false;
        }
        double actual = value / baseline;
        return atLeast ? actual >= ratio : actual <= ratio;
    }
}
