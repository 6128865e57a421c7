package dev.ferry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load tool's table: one row per figure, one column per server, then Ferry's (the first
 * server's) ratios: to the best C server of the row (vsftpd, pure-ftpd, proftpd, whichever did
 * best there) and to Apache FtpServer, the Java baseline; without either, to the second server.
 * Then the target for the row and whether it is met.
 */
final class LoadReport {

    private final List<String> servers = new ArrayList<>();
    /** key -> (server -> value), in the order figures were first seen. */
    private final Map<String, Map<String, Measurement>> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    void add(String server, List<Measurement> measurements) {
        if (!servers.contains(server)) {
            servers.add(server);
        }
        for (Measurement m : measurements) {
            figures.computeIfAbsent(m.key(), k -> new LinkedHashMap<>()).put(server, m);
        }
    }

    /** A server that could not run here, and why: said under the table. */
    void skip(String server, String reason) {
        notes.add(server + " was skipped: " + reason);
    }

    /** A scenario that stopped with an error on one server: said under the table, its rows stay empty. */
    void failed(String server, String scenario, String reason) {
        notes.add(server + ": " + scenario + " failed: " + reason);
    }

    MarkdownTable table() {
        String ferry = servers.isEmpty() ? "" : servers.getFirst();
        List<String> peers = servers.stream().filter(s -> PeerServer.named(s).isPresent() && !s.equals(ferry))
                .toList();
        Optional<String> java = servers.contains(Servers.FTPSERVER) && !ferry.equals(Servers.FTPSERVER)
                ? Optional.of(Servers.FTPSERVER)
                : Optional.empty();
        Optional<String> second = peers.isEmpty() && java.isEmpty() ? servers.stream().skip(1).findFirst()
                : Optional.empty();
        List<String> header = new ArrayList<>(List.of("scenario", "metric"));
        header.addAll(servers);
        if (!peers.isEmpty()) {
            header.add(ferry + " ÷ best C");
        }
        java.ifPresent(b -> header.add(ferry + " ÷ " + b));
        second.ifPresent(b -> header.add(ferry + " ÷ " + b));
        header.add("target");
        header.add("met");
        MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
        for (Map<String, Measurement> row : figures.values()) {
            Measurement any = row.values().iterator().next();
            boolean compared = any.better() != Measurement.Better.NEITHER;
            List<String> cells = new ArrayList<>(List.of(any.scenario(), any.metric()));
            for (String server : servers) {
                Measurement m = row.get(server);
                cells.add(m == null ? "" : Figures.number(m.value()));
            }
            double mine = value(row, ferry);
            Optional<String> bestC = best(row, peers, any.better());
            if (!peers.isEmpty()) {
                cells.add(!compared || bestC.isEmpty() ? ""
                        : ratio(mine, value(row, bestC.get())) + (bothZero(mine, value(row, bestC.get())) ? ""
                                : " (" + bestC.get() + ")"));
            }
            java.ifPresent(b -> cells.add(compared ? ratio(mine, value(row, b)) : ""));
            second.ifPresent(b -> cells.add(compared ? ratio(mine, value(row, b)) : ""));
            Optional<Goal> goal = peers.isEmpty()
                    ? java.or(() -> second).flatMap(b -> Goal.of(b, any.scenario(), any.metric()))
                    : Goal.ofPeers(any.scenario(), any.metric());
            double base = goal.map(g -> baseline(g, row, bestC, any.metric())).orElse(Double.NaN);
            cells.add(goal.map(Goal::text).orElse(""));
            cells.add(goal.map(g -> g.met(mine, base) ? "yes" : "no").orElse(""));
            table.row(cells.toArray(String[]::new));
        }
        return table;
    }

    /** The lines under the table: servers that were skipped and scenarios that failed, and why. */
    String notes() {
        StringBuilder out = new StringBuilder();
        notes.forEach(note -> out.append("\n").append(note).append("\n"));
        return out.toString();
    }

    /** The baseline figure a goal compares Ferry's with: the row's best C, or a server in this or the reference row. */
    private double baseline(Goal goal, Map<String, Measurement> row, Optional<String> bestC, String metric) {
        if (goal.baseline().equals(Goal.BEST_C)) {
            return bestC.map(b -> value(row, b)).orElse(Double.NaN);
        }
        if (goal.reference() == null) {
            return value(row, goal.baseline());
        }
        return figures.values().stream()
                .filter(r -> {
                    Measurement m = r.values().iterator().next();
                    return m.metric().equals(metric) && m.scenario().startsWith(goal.reference());
                })
                .findFirst().map(r -> value(r, goal.baseline())).orElse(Double.NaN);
    }

    /** The peer with the best figure in the row, by which way is better; none if none has one. */
    private static Optional<String> best(Map<String, Measurement> row, List<String> peers, Measurement.Better better) {
        String best = null;
        for (String peer : peers) {
            double v = value(row, peer);
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null || (better == Measurement.Better.LOWER ? v < value(row, best) : v > value(row, best))) {
                best = peer;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Ferry ÷ baseline; nothing for two zeros (no failures on either side is not a ratio). */
    private static String ratio(double mine, double base) {
        return bothZero(mine, base) ? "" : Figures.ratio(mine, base);
    }

    private static boolean bothZero(double a, double b) {
        return a == 0 && b == 0;
    }

    private static double value(Map<String, Measurement> row, String server) {
        Measurement m = row.get(server);
        return m == null ? Double.NaN : m.value();
    }
}
