package dev.ferry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load tool's table: one row per figure, one column per server, the ratio of the first
 * server (Ferry) to the baseline, the target and whether it is met.
 */
final class LoadReport {

    private final List<String> servers = new ArrayList<>();
    /** key -> (server -> value), in the order figures were first seen. */
    private final Map<String, Map<String, Measurement>> figures = new LinkedHashMap<>();

    void add(String server, List<Measurement> measurements) {
        if (!servers.contains(server)) {
            servers.add(server);
        }
        for (Measurement m : measurements) {
            figures.computeIfAbsent(m.key(), k -> new LinkedHashMap<>()).put(server, m);
        }
    }

    /** Ferry is the first server given; the baseline is ftpserver if it ran, else the second one. */
    MarkdownTable table() {
        String ferry = servers.isEmpty() ? "" : servers.getFirst();
        Optional<String> baseline = servers.contains(Servers.FTPSERVER) && !ferry.equals(Servers.FTPSERVER)
                ? Optional.of(Servers.FTPSERVER)
                : servers.stream().skip(1).findFirst();
        List<String> header = new ArrayList<>(List.of("scenario", "metric"));
        header.addAll(servers);
        baseline.ifPresent(b -> header.add(ferry + " ÷ " + b));
        header.add("target");
        header.add("met");
        MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
        for (Map<String, Measurement> row : figures.values()) {
            Measurement any = row.values().iterator().next();
            List<String> cells = new ArrayList<>(List.of(any.scenario(), any.metric()));
            for (String server : servers) {
                Measurement m = row.get(server);
                cells.add(m == null ? "" : Figures.number(m.value()));
            }
            double mine = value(row, ferry);
            double base = baseline.map(b -> value(row, b)).orElse(Double.NaN);
            if (baseline.isPresent()) {
                cells.add(any.better() == Measurement.Better.NEITHER ? "" : Figures.ratio(mine, base));
            }
            Optional<Goal> goal = baseline.flatMap(b -> Goal.of(b, any.scenario(), any.metric()));
            cells.add(goal.map(Goal::text).orElse(""));
            cells.add(goal.map(g -> g.met(mine, base) ? "yes" : "no").orElse(""));
            table.row(cells.toArray(String[]::new));
        }
        return table;
    }

    private static double value(Map<String, Measurement> row, String server) {
        Measurement m = row.get(server);
        return m == null ? Double.NaN : m.value();
    }
}
