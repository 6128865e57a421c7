package dev.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The load tool's command line. */
record LoadOptions(List<String> targets, String externalAddress, String externalName, long externalPid,
        String user, String password, List<String> scenarios, List<Integer> sessions, Duration retrTime,
        int loginWorkers, Duration loginTime, int idleSessions, int idlePeerSessions, Duration smallFilesLimit,
        Path fixtures, Path out, Path jfr, Path peers) {

    static final List<String> SCENARIOS = List.of("idle", "login", "list", "small", "retr", "retr-1g", "stor",
            "stor-1g");

    /**
     * {@code --targets all}: Ferry first (the ratios are Ferry's), Ferry without the fsync before each
     * upload's rename (as the C servers store), the three C servers, FtpServer.
     */
    static final List<String> ALL = List.of(Servers.FERRY_LOCAL, Servers.FERRY_NO_FSYNC, Vsftpd.NAME, PureFtpd.NAME,
            Proftpd.NAME, Servers.FTPSERVER);

    static final String USAGE = """
            usage: LoadTool [options]
              --targets LIST        servers the tool starts: ferry (= ferry-local), ferry-nofsync
                                    (local_upload_fsync=NO), ferry-memory,
                                    ftpserver (each embedded in a child JVM) and the C servers
                                    vsftpd, pure-ftpd, proftpd (each in the foreground as root;
                                    one that cannot run here is skipped with the reason); "all"
                                    = ferry,ferry-nofsync,vsftpd,pure-ftpd,proftpd,ftpserver; default
                                    ferry,ftpserver; "none" for --external only. The first is
                                    Ferry; ratios are against ftpserver and the best C server
                                    of each row (without either: against the second)
              --peers DIR           where benchmarks/install-peers unpacked the C servers not
                                    installed in /usr/sbin (default: peers/ beside the jar)
              --external HOST:PORT  also load a server started elsewhere (it must serve --fixtures)
              --external-name NAME  its column name (default external)
              --external-pid PID    its process, for RSS/PSS in the idle scenario
              --user U --password P its login (default anonymous)
              --scenarios LIST      of idle,login,list,small,retr,retr-1g,stor,stor-1g
                                    (default all)
              --sessions LIST       RETR session counts (default 1,10,100,500)
              --seconds S           RETR time per session count, STOR time (default 10)
              --login-seconds S     login scenario time (default 5)
              --idle N              idle sessions (default 10000; needs ulimit -n > N + 500)
              --idle-peers N        idle sessions against the C servers, which fork one or
                                    two processes per session (default 500)
              --small-seconds S     time limit per small-file phase (default 20)
              --fixtures DIR        write the file set here and keep it (default: a temp dir, removed)
              --out FILE            also write the Markdown table to FILE
              --jfr DIR             record each embedded server (not vsftpd) with JFR
                                    (settings=profile and the CPU-time sampler) to
                                    DIR/SERVER.jfr; read it with the JDK's jfr tool
            environment: CHILD_JAVA_OPTS adds JVM options to every server in a child JVM
                         (to compare a JVM setting run by run)
            """;

    static LoadOptions parse(String... args) {
        List<String> targets = List.of("ferry-local", Servers.FTPSERVER);
        String external = null;
        String externalName = "external";
        long pid = 0;
        String user = "anonymous";
        String password = "load@example.com";
        List<String> scenarios = SCENARIOS;
        List<Integer> sessions = List.of(1, 10, 100, 500);
        Duration retr = Duration.ofSeconds(10);
        Duration login = Duration.ofSeconds(5);
        int idle = 10_000;
        int idlePeers = 500;
        Path peers = defaultPeers();
        Duration small = Duration.ofSeconds(20);
        Path fixtures = null;
        Path out = null;
        Path jfr = null;
        for (OptionPairs.Option option : OptionPairs.of(args, USAGE)) {
            String name = option.name();
            String value = option.value();
            switch (name) {
                case "--targets" -> targets = switch (value) {
                    case "none" -> List.of();
                    case "all" -> ALL;
                    default -> Arrays.stream(value.split(",")).map(t -> t.equals("ferry") ? Servers.FERRY_LOCAL : t)
                            .toList();
                };
                case "--peers" -> peers = Path.of(value);
                case "--idle-peers" -> idlePeers = Integer.parseInt(value);
                case "--external" -> external = value;
                case "--external-name" -> externalName = value;
                case "--external-pid" -> pid = Long.parseLong(value);
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--scenarios" -> scenarios = checked(List.of(value.split(",")));
                case "--sessions" -> sessions = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--seconds" -> retr = Duration.ofSeconds(Long.parseLong(value));
                case "--login-seconds" -> login = Duration.ofSeconds(Long.parseLong(value));
                case "--idle" -> idle = Integer.parseInt(value);
                case "--small-seconds" -> small = Duration.ofSeconds(Long.parseLong(value));
                case "--fixtures" -> fixtures = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--jfr" -> jfr = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (targets.isEmpty() && external == null) {
            throw new IllegalArgumentException("nothing to load: give --targets or --external\n" + USAGE);
        }
        return new LoadOptions(targets, external, externalName, pid, user, password, scenarios, sessions, retr,
                50, login, idle, idlePeers, small, fixtures, out, jfr, peers);
    }

    /** peers/ beside the jar (benchmarks/target/peers), where benchmarks/install-peers unpacks. */
    private static Path defaultPeers() {
        try {
            Path jar = Path.of(LoadOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toAbsolutePath().getParent().resolve("peers");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("peers");
        }
    }

    private static List<String> checked(List<String> scenarios) {
        List<String> unknown = new ArrayList<>(scenarios);
        unknown.removeAll(SCENARIOS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown scenarios " + unknown + "; known: " + SCENARIOS);
        }
        return scenarios;
    }
}
