package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A target from an issue against one baseline, as a ratio Ferry ÷ baseline (same run),
 * optionally with an absolute bound on Ferry's own figure. The baseline is a server's column or
 * {@link #BEST_C}, the best of the C servers in that row; {@code reference}, when set, names the
 * row whose baseline figure counts (MLSD against vsftpd's LIST: vsftpd has no MLSD).
 */
record Goal(String baseline, String scenarioPrefix, String metric, String text, double ratio, boolean atLeast,
        double absoluteMax, String reference) {

    /** The baseline "the best C server of the row": vsftpd, pure-ftpd or proftpd, whichever is best. */
    static final String BEST_C = "best C";

    /** Issue 9's load targets against Apache FtpServer and against vsftpd (used without the C servers). */
    static final List<Goal> LOAD = List.of(
            new Goal(Servers.FTPSERVER, "RETR 10 MiB, N=1", "aggregate MB/s", "≥ 2×", 2, true, Double.NaN, null),
            new Goal(Servers.FTPSERVER, "STOR 10 MiB, 1 session", "MB/s", "≥ 2×", 2, true, Double.NaN, null),
            new Goal(Servers.FTPSERVER, "RETR 10 MiB, N=500", "aggregate MB/s", "≥ 5×", 5, true, Double.NaN, null),
            new Goal(Servers.FTPSERVER, "connect + login", "logins/s", "≥ 1×", 1, true, Double.NaN, null),
            new Goal(Servers.FTPSERVER, "idle sessions", "heap bytes/session", "≤ 1× and ≤ 20 kB", 1, false, 20_000,
                    null),
            new Goal(Servers.FTPSERVER, "LIST of", "warm median ms", "≤ 50 ms (vsftpd target)", Double.NaN, false,
                    50, null),
            new Goal(Servers.FTPSERVER, "1,000 × 4 KiB", "RETR files/s", "≥ 100×", 100, true, Double.NaN, null),
            new Goal(Servers.FTPSERVER, "1,000 × 4 KiB", "STOR files/s", "≥ 100×", 100, true, Double.NaN, null),
            new Goal(Vsftpd.NAME, "RETR 10 MiB, N=1", "aggregate MB/s", "≥ 1×", 1, true, Double.NaN, null),
            new Goal(Vsftpd.NAME, "STOR 10 MiB, 1 session", "MB/s", "≥ 1×", 1, true, Double.NaN, null),
            new Goal(Vsftpd.NAME, "RETR 10 MiB, N=500", "aggregate MB/s", "≥ 1×", 1, true, Double.NaN, null),
            new Goal(Vsftpd.NAME, "RETR 10 MiB, N=500", "p99 ms", "≤ 1×", 1, false, Double.NaN, null),
            new Goal(Vsftpd.NAME, "LIST of", "warm median ms", "≤ 50 ms", Double.NaN, false, 50, null));

    /**
     * Issue 15's targets, used when a C server ran: at least the best C server on every row (the
     * download rows to catch up, the others to keep), listings at or below vsftpd's LIST.
     */
    static final List<Goal> PEERS = peers();

    private static List<Goal> peers() {
        List<Goal> goals = new ArrayList<>();
        goals.add(atLeastBestC("idle sessions", "PSS bytes/session", false));
        goals.add(atLeastBestC("connect + login", "logins/s", true));
        goals.add(atLeastBestC("1,000 × 4 KiB", "RETR files/s", true));
        goals.add(atLeastBestC("1,000 × 4 KiB", "STOR files/s", true));
        goals.add(atLeastBestC("1,000 × 4 KiB", "RETR files/s, warm", true));
        goals.add(atLeastBestC("1,000 × 4 KiB", "STOR files/s, warm", true));
        for (String n : List.of("1", "10", "100", "500")) {
            goals.add(atLeastBestC("RETR 10 MiB, N=" + n, "aggregate MB/s", true));
            if (!n.equals("1")) {
                goals.add(atLeastBestC("RETR 10 MiB, N=" + n, "p99 ms", false));
            }
        }
        goals.add(atLeastBestC("RETR 1 GiB, N=1", "aggregate MB/s", true));
        goals.add(atLeastBestC("STOR 10 MiB, 1 session", "MB/s", true));
        goals.add(atLeastBestC("STOR 1 GiB, 1 session", "MB/s", true));
        for (String metric : List.of("first call ms", "warm median ms")) {
            goals.add(new Goal(Vsftpd.NAME, "LIST of", metric, "≤ vsftpd", 1, false, Double.NaN, null));
            goals.add(new Goal(Vsftpd.NAME, "NLST of", metric, "≤ vsftpd", 1, false, Double.NaN, null));
            goals.add(new Goal(Vsftpd.NAME, "MLSD of", metric, "≤ vsftpd's LIST", 1, false, Double.NaN, "LIST of"));
        }
        return List.copyOf(goals);
    }

    private static Goal atLeastBestC(String scenario, String metric, boolean higher) {
        return new Goal(BEST_C, scenario, metric, higher ? "≥ 1× best C" : "≤ 1× best C", 1, higher, Double.NaN,
                null);
    }

    /** The goal for this figure against {@code baseline}, if issue 9 sets one. */
    static Optional<Goal> of(String baseline, String scenario, String metric) {
        return LOAD.stream().filter(g -> g.baseline().equals(baseline) && g.names(scenario)
                && metric.equals(g.metric())).findFirst();
    }

    /** Issue 15's goal for this figure, if it sets one. */
    static Optional<Goal> ofPeers(String scenario, String metric) {
        return PEERS.stream().filter(g -> g.names(scenario) && metric.equals(g.metric())).findFirst();
    }

    /** The scenario contains the prefix, not followed by a digit: "N=1" is not "N=10". */
    boolean names(String scenario) {
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
