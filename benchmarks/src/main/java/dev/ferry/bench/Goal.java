package dev.ferry.bench;

import java.util.List;
import java.util.Optional;

/**
 * A target from the issue against one baseline, as a ratio Ferry ÷ baseline (same run),
 * optionally with an absolute bound on Ferry's own figure.
 */
record Goal(String baseline, String scenarioPrefix, String metric, String text, double ratio, boolean atLeast,
        double absoluteMax) {

    /** The load targets against Apache FtpServer and against vsftpd. */
    static final List<Goal> LOAD = List.of(
            new Goal(Servers.FTPSERVER, "RETR 10 MiB, N=1", "aggregate MB/s", "≥ 2×", 2, true, Double.NaN),
            new Goal(Servers.FTPSERVER, "STOR 10 MiB, 1 session", "MB/s", "≥ 2×", 2, true, Double.NaN),
            new Goal(Servers.FTPSERVER, "RETR 10 MiB, N=500", "aggregate MB/s", "≥ 5×", 5, true, Double.NaN),
            new Goal(Servers.FTPSERVER, "connect + login", "logins/s", "≥ 1×", 1, true, Double.NaN),
            new Goal(Servers.FTPSERVER, "idle sessions", "heap bytes/session", "≤ 1× and ≤ 20 kB", 1, false, 20_000),
            new Goal(Servers.FTPSERVER, "LIST of", "median ms to 226", "≤ 50 ms (vsftpd target)", Double.NaN, false,
                    50),
            new Goal(Servers.FTPSERVER, "1,000 × 4 KiB", "RETR files/s", "≥ 100×", 100, true, Double.NaN),
            new Goal(Servers.FTPSERVER, "1,000 × 4 KiB", "STOR files/s", "≥ 100×", 100, true, Double.NaN),
            new Goal(VsftpdTarget.NAME, "RETR 10 MiB, N=1", "aggregate MB/s", "≥ 1×", 1, true, Double.NaN),
            new Goal(VsftpdTarget.NAME, "STOR 10 MiB, 1 session", "MB/s", "≥ 1×", 1, true, Double.NaN),
            new Goal(VsftpdTarget.NAME, "RETR 10 MiB, N=500", "aggregate MB/s", "≥ 1×", 1, true, Double.NaN),
            new Goal(VsftpdTarget.NAME, "RETR 10 MiB, N=500", "p99 ms", "≤ 1×", 1, false, Double.NaN),
            new Goal(VsftpdTarget.NAME, "LIST of", "median ms to 226", "≤ 50 ms", Double.NaN, false, 50));

    /** The goal for this figure against {@code baseline}, if the issue sets one. */
    static Optional<Goal> of(String baseline, String scenario, String metric) {
        return LOAD.stream().filter(g -> g.baseline().equals(baseline) && g.names(scenario)
                && metric.equals(g.metric())).findFirst();
    }

    /** The scenario contains the prefix, not followed by a digit: "N=1" is not "N=10". */
    private boolean names(String scenario) {
        int at = scenario.indexOf(scenarioPrefix);
        int end = at + scenarioPrefix.length();
        return at >= 0 && (end == scenario.length() || !Character.isDigit(scenario.charAt(end)));
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
