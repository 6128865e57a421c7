package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hostile clients against Ferry (issue 17), each attack against a fresh server in a child JVM
 * ({@link HostileServer}), while a well-behaved client logs in and downloads a 1 MiB file every
 * 250 ms: how long it waits is the figure. Attackers connect from 127.0.0.2 and up (Linux routes
 * all of 127.0.0.0/8 to loopback), the well-behaved client from 127.0.0.1. Every loop is bounded
 * in count and in time; only loopback is used.
 *
 * <pre>java -cp benchmarks.jar dev.ferry.bench.HostileLoad [--help for options]</pre>
 *
 * <ul>
 *   <li>slowloris: N connections from K addresses, each sending one byte of a command every D
 *       seconds and never a line end; a connection that is cut reconnects. Figures: when the server
 *       cut each one (target: within idle_session_timeout + 1 s) and what it said.</li>
 *   <li>flood: W workers from K addresses connecting, reading the greeting and closing, as fast as
 *       they can.</li>
 *   <li>pasv: N logged-in sessions from K addresses sending PASV every second and never connecting,
 *       against a range of P passive ports (the 1,000 sessions, 20 addresses, 100 ports).</li>
 *   <li>noread: N sessions that start RETR of a 16 MiB file and never read it (nor their replies).</li>
 *   <li>glob: N sessions sending STAT with a backtracking-hostile pattern in a loop (the jail issue).</li>
 *   <li>hash: N sessions asking for the SHA-256 of the 16 MiB file in a loop.</li>
 * </ul>
 */
public final class HostileLoad {

    static final List<String> SCENARIOS = List.of("slowloris", "flood", "pasv", "noread", "glob", "hash");

    static final String USAGE = """
            usage: HostileLoad [options]
              --scenarios LIST     of slowloris,flood,pasv,noread,glob,hash (default all)
              --idle S             idle_session_timeout of the server (default 30)
              --slowloris N/K/D    connections / source addresses / seconds between bytes (default 2000/40/5)
              --slowloris-seconds S  how long the slowloris attack runs (default idle + 15)
              --flood W/K          flood workers / source addresses (default 200/40)
              --pasv N/K/P         squatting sessions / source addresses / passive ports (default 1000/20/100)
              --noread N           sessions that never read (default 200)
              --cpu N              sessions of the glob and hash attacks (default 4)
              --seconds S          how long the flood, pasv and noread attacks run (default 20)
              --out FILE           also write the Markdown table to FILE
            """;

    /** The command line. */
    record Options(List<String> scenarios, int idle, int slowloris, int slowlorisSources, int dripSeconds,
                   int slowlorisSeconds, int floodWorkers, int floodSources, int pasvSessions, int pasvSources,
                   int pasvPorts, int noread, int cpuSessions, int seconds, Path out) {

        static Options parse(String... args) {
            List<String> scenarios = SCENARIOS;
            int idle = 30;
            int[] slow = {2000, 40, 5};
            int slowSeconds = -1;
            int[] flood = {200, 40};
            int[] pasv = {1000, 20, 100};
            int noread = 200;
            int cpu = 4;
            int seconds = 20;
            Path out = null;
            for (OptionPairs.Option option : OptionPairs.of(args, USAGE)) {
                String name = option.name();
                String value = option.value();
                switch (name) {
                    case "--scenarios" -> {
                        scenarios = List.of(value.split(","));
                        List<String> unknown = new ArrayList<>(scenarios);
                        unknown.removeAll(SCENARIOS);
                        if (!unknown.isEmpty()) {
                            throw new IllegalArgumentException("unknown scenarios " + unknown + "; known: " + SCENARIOS);
                        }
                    }
                    case "--idle" -> idle = Integer.parseInt(value);
                    case "--slowloris" -> slow = numbers(value, 3);
                    case "--slowloris-seconds" -> slowSeconds = Integer.parseInt(value);
                    case "--flood" -> flood = numbers(value, 2);
                    case "--pasv" -> pasv = numbers(value, 3);
                    case "--noread" -> noread = Integer.parseInt(value);
                    case "--cpu" -> cpu = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
                }
            }
            if (slow[1] < 1 || slow[1] > 250 || flood[1] < 1 || flood[1] > 250 || pasv[1] < 1 || pasv[1] > 250) {
                throw new IllegalArgumentException("source addresses: 1 to 250 (127.0.0.2 and up)");
            }
            if (idle < 1 || seconds < 1 || seconds > 600 || slow[0] > 20_000 || pasv[0] > 20_000 || noread > 20_000
                    || flood[0] > 5_000 || cpu < 1 || cpu > 100) {
                throw new IllegalArgumentException("out of bounds: idle >= 1, seconds 1..600, at most 20,000 "
                        + "connections, 5,000 flood workers\n" + USAGE);
            }
            return new Options(scenarios, idle, slow[0], slow[1], slow[2], slowSeconds < 0 ? idle + 15 : slowSeconds,
                    flood[0], flood[1], pasv[0], pasv[1], pasv[2], noread, cpu, seconds, out);
        }

        private static int[] numbers(String value, int count) {
            int[] parsed = Arrays.stream(value.split("/")).mapToInt(Integer::parseInt).toArray();
            if (parsed.length != count) {
                throw new IllegalArgumentException(value + ": expected " + count + " numbers separated by /");
            }
            return parsed;
        }
    }

    private HostileLoad() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Files.createTempDirectory("ferry-hostile-");
        try {
            Files.write(root.resolve(Attacks.PROBE_FILE), random(1024 * 1024, 1));
            Files.write(root.resolve(Attacks.BIG_FILE), random(16 * 1024 * 1024, 2));
            Files.createDirectories(root.resolve("pub"));
            Files.write(root.resolve("pub").resolve(Attacks.LONG_NAME), new byte[0]);
            MarkdownTable table = new MarkdownTable("attack", "server settings", "well-behaved logins ok",
                    "login p50 ms", "login p99 ms", "login max ms", "RETR 1 MiB p50 ms", "RETR 1 MiB max ms", "attack figures",
                    "targets met");
            for (String scenario : SCENARIOS) {
                if (!options.scenarios().contains(scenario)) {
                    continue;
                }
                List<String> settings = settings(scenario, options);
                System.err.println(scenario + ": starting Ferry with " + settings);
                try (Child server = Child.start(root, settings)) {
                    Attacks.Result result = switch (scenario) {
                        case "slowloris" -> Attacks.slowloris(server.port, options);
                        case "flood" -> Attacks.flood(server.port, options);
                        case "pasv" -> Attacks.pasv(server.port, options);
                        case "noread" -> Attacks.noread(server.port, options);
                        case "glob" -> Attacks.glob(server.port, options);
                        case "hash" -> Attacks.hash(server.port, options);
                        default -> throw new IllegalStateException(scenario);
                    };
                    Attacks.Probes probes = result.probes();
                    boolean loginsMet = probes.failed() == 0 && probes.loginMax() <= 1000;
                    table.row(result.attack(), String.join(" ", settings), probes.ok() + " / " + probes.attempts()
                                    + (probes.firstFailure() == null ? "" : " (first failure: " + probes.firstFailure() + ")"),
                            Figures.number(probes.loginP50()), Figures.number(probes.loginP99()),
                            Figures.number(probes.loginMax()),
                            Figures.number(probes.retrP50()), Figures.number(probes.retrMax()), result.figures(),
                            "logins ≤ 1 s: " + (loginsMet ? "yes" : "no") + result.targets());
                }
            }
            String text = "## Hostile clients, " + LocalDate.now() + "\n\n" + table.render();
            System.out.println(text);
            if (options.out() != null) {
                Files.writeString(options.out(), text);
            }
        } finally {
            Fixtures.deleteTree(root);
        }
    }

    /** The attack's server: the limits (vsftpd's max_clients and max_per_ip defaults). */
    private static List<String> settings(String scenario, Options options) throws IOException {
        List<String> settings = new ArrayList<>(List.of("max_clients=2000", "max_per_ip=50",
                "idle_session_timeout=" + options.idle()));
        if (scenario.equals("pasv")) {
            int min = freeRange(options.pasvPorts());
            settings.add("pasv_min_port=" + min);
            settings.add("pasv_max_port=" + (min + options.pasvPorts() - 1));
        }
        return settings;
    }

    /** {@code size} loopback ports free now, in the upper unprivileged range. */
    private static int freeRange(int size) throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int start = 20_000 + random.nextInt(12_000);
            List<java.net.ServerSocket> probes = new ArrayList<>();
            try {
                for (int port = start; port < start + size; port++) {
                    java.net.ServerSocket probe = new java.net.ServerSocket();
                    probes.add(probe);
                    probe.setReuseAddress(true);
                    probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                }
                return start;
            } catch (IOException taken) {
                // another start
            } finally {
                for (java.net.ServerSocket probe : probes) {
                    probe.close();
                }
            }
        }
        throw new IOException("no " + size + " free ports in a row");
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The server child process. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final Writer commands;
        final int port;

        private Child(Process process) throws IOException, InterruptedException {
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            BufferedReader replies = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    String line = replies.readLine();
                    for (int skipped = 0; skipped < 20 && line != null && !line.startsWith("port "); skipped++) {
                        line = replies.readLine();
                    }
                    return line;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofVirtual().start(task));
            String line;
            try {
                line = first.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IOException("Ferry did not start: " + e, e);
            }
            if (line == null) {
                throw new IOException("Ferry did not start");
            }
            this.port = Integer.parseInt(line.substring(5).trim());
        }

        static Child start(Path root, List<String> settings) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ChildTarget.JVM_OPTIONS);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(HostileServer.class.getName());
            command.add(root.toString());
            command.addAll(settings);
            return new Child(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        @Override
        public void close() {
            ChildTarget.stop(process, commands);
        }
    }

    static Duration seconds(int s) {
        return Duration.ofSeconds(s);
    }
}
