package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A load generator for any FTP server on this machine: virtual-thread Commons Net clients, every
 * loop bounded in count and time, loopback only. By default it starts Ferry and Apache FtpServer
 * itself, each in a child JVM serving the same files, runs every scenario against each in turn
 * and prints one Markdown table with the ratios.
 *
 * <pre>java -cp benchmarks.jar dev.ferry.bench.LoadTool [--help for options]</pre>
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.externalAddress() != null && !isLoopback(options.externalAddress())) {
            System.err.println("--external must be a loopback address (127.0.0.0/8, localhost or [::1])");
            System.exit(2);
        }
        if (options.jfr() != null) {
            Files.createDirectories(options.jfr());
        }
        Path root = options.fixtures() != null ? options.fixtures() : Files.createTempDirectory("ferry-load-");
        try {
            System.err.println("writing fixtures to " + root);
            long huge = options.scenarios().contains("retr-1g") ? HUGE : 0;
            LoadFixtures fixtures = LoadFixtures.create(root, 10L * 1024 * 1024, huge, 1000, 4096, 10_000);
            LoadReport report = new LoadReport();
            for (String server : options.targets()) {
                Optional<PeerServer> peer = PeerServer.named(server);
                Target started;
                try {
                    started = peer.isPresent() ? PeerTarget.start(peer.get(), root, options.peers())
                            : ChildTarget.start(server, root, options.jfr());
                } catch (IOException e) {
                    if (peer.isEmpty()) {
                        throw e;
                    }
                    // a C server this machine cannot run is reported, not fatal: the others still count
                    System.err.println(server + ": skipped: " + e.getMessage());
                    report.skip(server, e.getMessage());
                    continue;
                }
                try (Target target = started) {
                    report.add(server, runAll(target, fixtures, options, peer.isPresent(), report));
                }
            }
            if (options.externalAddress() != null) {
                String[] hostPort = options.externalAddress().split(":(?=[0-9]+$)");
                try (Target target = new ExternalTarget(options.externalName(), hostPort[0].replaceAll("[\\[\\]]", ""),
                        Integer.parseInt(hostPort[1]), options.user(), options.password(), options.externalPid())) {
                    report.add(target.name(), runAll(target, fixtures, options, false, report));
                }
            }
            String text = "## Load, " + LocalDate.now() + "\n\n" + report.table().render() + report.notes();
            System.out.println(text);
            if (options.out() != null) {
                Files.writeString(options.out(), text);
            }
        } finally {
            if (options.fixtures() == null) {
                Fixtures.deleteTree(root);
            }
        }
    }

    /** The 1 GiB file of retr-1g and the upload of stor-1g. */
    static final long HUGE = 1L << 30;
    /** Bounds on the 1 GiB transfers, on top of the time bound (at least one always runs). */
    private static final int HUGE_TRANSFERS = 10;

    /**
     * The scenarios in a fixed order: idle first, while the server process is fresh and its RSS
     * honest; list before anything else lists, so its first call is the server's first listing.
     * {@code forking}: a C server forking per session, held to {@code --idle-peers} idle sessions.
     */
    private static List<Measurement> runAll(Target target, LoadFixtures fixtures, LoadOptions options,
            boolean forking, LoadReport report) throws Exception {
        List<Measurement> all = new ArrayList<>();
        for (String scenario : LoadOptions.SCENARIOS) {
            if (!options.scenarios().contains(scenario)) {
                continue;
            }
            System.err.println(target.name() + ": " + scenario);
            try {
                all.addAll(run(scenario, target, fixtures, options, forking));
            } catch (IOException e) {
                // one server refusing one scenario leaves its rows empty; the rest of the run still counts
                System.err.println(target.name() + ": " + scenario + " failed: " + e);
                report.failed(target.name(), scenario, e.toString());
            }
        }
        return all;
    }

    private static List<Measurement> run(String scenario, Target target, LoadFixtures fixtures, LoadOptions options,
            boolean forking) throws Exception {
        return switch (scenario) {
            case "idle" -> forking ? IdleLoad.run(target, options.idlePeerSessions(), 10)
                    : IdleLoad.run(target, options.idleSessions());
            case "login" -> LoginLoad.run(target, options.loginWorkers(), options.loginTime());
            case "list" -> ListLoad.run(target, fixtures);
            case "small" -> SmallFilesLoad.run(target, fixtures, options.smallFilesLimit());
            case "retr" -> {
                List<Measurement> all = new ArrayList<>();
                for (int sessions : options.sessions()) {
                    all.addAll(RetrLoad.run(target, fixtures, sessions, options.retrTime()));
                }
                yield all;
            }
            case "retr-1g" -> RetrLoad.run(target, LoadFixtures.HUGE, fixtures.hugeSize(), fixtures.hugeCrc(), 1,
                    options.retrTime(), HUGE_TRANSFERS);
            case "stor" -> StorLoad.run(target, fixtures, fixtures.bigSize(), options.retrTime(), 10_000);
            case "stor-1g" -> StorLoad.run(target, fixtures, HUGE, options.retrTime(), HUGE_TRANSFERS);
            default -> throw new IllegalStateException(scenario);
        };
    }

    static boolean isLoopback(String hostPort) {
        String host = hostPort.replaceAll(":[0-9]+$", "").replaceAll("[\\[\\]]", "");
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
