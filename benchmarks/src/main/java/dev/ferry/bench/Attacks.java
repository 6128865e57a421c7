package dev.ferry.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The attacks of {@link HostileLoad}, each run for a bounded time while {@link #probe} measures a
 * well-behaved client. Attack clients are raw sockets on virtual threads, bound to 127.0.0.2 and up.
 */
final class Attacks {

    static final String PROBE_FILE = "probe.bin";
    static final String BIG_FILE = "big.bin";
    private static final String HOST = "127.0.0.1";
    private static final int PROBE_EVERY_MILLIS = 250;
    /** Attackers start over this long, not all in the same millisecond. */
    private static final long RAMP_MILLIS = 2_000;
    /** A hard cap on any attacker's loop, whatever the time limit. */
    private static final int MAX_ROUNDS = 100_000;

    /** What the well-behaved client saw during one attack. */
    record Probes(int attempts, int ok, int failed, String firstFailure, double loginP50, double loginP99,
                  double loginMax, double retrP50, double retrMax) {
    }

    /** One attack's figures, as table cells. */
    record Result(String attack, Probes probes, String figures, String targets) {
    }

    private Attacks() {
    }

    // ---- slowloris

    static Result slowloris(int port, HostileLoad.Options options) throws InterruptedException {
        long end = System.nanoTime() + HostileLoad.seconds(options.slowlorisSeconds()).toNanos();
        ConcurrentLinkedQueue<Long> deadlineCuts = new ConcurrentLinkedQueue<>();
        AtomicInteger displaced = new AtomicInteger();
        AtomicInteger otherCuts = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger stillOpen = new AtomicInteger();
        AtomicReference<String> otherReply = new AtomicReference<>();
        long dripMillis = options.dripSeconds() * 1000L;
        List<Thread> attackers = new ArrayList<>();
        for (int i = 0; i < options.slowloris(); i++) {
            String source = source(i, options.slowlorisSources());
            long delay = RAMP_MILLIS * i / options.slowloris();
            attackers.add(Thread.ofVirtual().name("slowloris-", i).start(() -> {
                sleep(delay);
                for (int round = 0; round < MAX_ROUNDS && System.nanoTime() < end; round++) {
                    try (Socket socket = connect(source, port)) {
                        String greeting = line(socket.getInputStream());
                        if (!greeting.startsWith("220")) {
                            refused.incrementAndGet();
                            sleep(1_000);
                            continue;
                        }
                        connections.incrementAndGet();
                        long greeted = System.nanoTime();
                        socket.setSoTimeout((int) dripMillis);
                        byte[] drip = "NOOP".getBytes(StandardCharsets.US_ASCII);
                        String reply = null;
                        for (int b = 0; b < MAX_ROUNDS; b++) {
                            if (System.nanoTime() >= end) {
                                stillOpen.incrementAndGet();
                                return;
                            }
                            try {
                                socket.getOutputStream().write(drip[b % drip.length]); // never a line end
                                socket.getOutputStream().flush();
                                reply = rest(socket.getInputStream());
                                break; // the server closed the connection
                            } catch (SocketTimeoutException open) {
                                // still open: the next byte
                            } catch (IOException reset) {
                                reply = "";
                                break;
                            }
                        }
                        long millis = (System.nanoTime() - greeted) / 1_000_000;
                        if (reply == null) {
                            continue;
                        } else if (reply.startsWith("421 Timeout.")) {
                            deadlineCuts.add(millis);
                        } else if (reply.startsWith("421") && reply.contains("not logged in")) {
                            displaced.incrementAndGet();
                        } else {
                            otherCuts.incrementAndGet();
                            otherReply.compareAndSet(null, reply.strip() + " after " + millis + " ms");
                        }
                    } catch (IOException e) {
                        refused.incrementAndGet();
                        sleep(1_000);
                    }
                }
            }));
        }
        Probes probes = probe(port, end);
        join(attackers, end);
        Stats cuts = new Stats(deadlineCuts.stream().mapToLong(Long::longValue).toArray());
        double limitMillis = options.idle() * 1000.0 + 1000;
        boolean cutMet = cuts.count() > 0 && cuts.percentile(100) <= limitMillis && otherCuts.get() == 0;
        String figures = String.format("%d connections made (%d refused at connect); cut by the line deadline "
                        + "with 421 Timeout.: %d, after p50 %.1f s, max %.1f s (idle %d s); displaced by a newcomer: %d; "
                        + "other ends: %d%s; open at the end: %d",
                connections.get(), refused.get(), cuts.count(), cuts.percentile(50) / 1000, cuts.percentile(100) / 1000,
                options.idle(), displaced.get(), otherCuts.get(),
                otherReply.get() == null ? "" : " (" + otherReply.get() + ")", stillOpen.get());
        return new Result(String.format("slowloris: %d connections from %d addresses, a byte every %d s, %d s",
                options.slowloris(), options.slowlorisSources(), options.dripSeconds(), options.slowlorisSeconds()),
                probes, figures, "; cut ≤ idle + 1 s: " + (cutMet ? "yes" : "no"));
    }

    // ---- connect flood

    static Result flood(int port, HostileLoad.Options options) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + HostileLoad.seconds(options.seconds()).toNanos();
        AtomicLong greeted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.floodWorkers(); i++) {
            String source = source(i, options.floodSources());
            workers.add(Thread.ofVirtual().name("flood-", i).start(() -> {
                for (int round = 0; round < MAX_ROUNDS && System.nanoTime() < end; round++) {
                    try (Socket socket = connect(source, port)) {
                        String greeting = line(socket.getInputStream());
                        (greeting.startsWith("220") ? greeted : refused).incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        Probes probes = probe(port, end);
        join(workers, end);
        double seconds = (System.nanoTime() - start) / 1e9;
        String figures = String.format("%.0f connections/s (%d greeted, %d refused with 421, %d failed)",
                (greeted.get() + refused.get()) / seconds, greeted.get(), refused.get(), failed.get());
        return new Result(String.format("connect flood: %d workers from %d addresses connect, read the greeting, "
                + "close, %d s", options.floodWorkers(), options.floodSources(), options.seconds()), probes, figures, "");
    }

    // ---- passive port squatting

    static Result pasv(int port, HostileLoad.Options options) throws InterruptedException {
        long end = System.nanoTime() + HostileLoad.seconds(options.seconds()).toNanos();
        AtomicLong granted = new AtomicLong();
        AtomicLong noPort = new AtomicLong();
        AtomicInteger sessions = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> squatters = new ArrayList<>();
        for (int i = 0; i < options.pasvSessions(); i++) {
            String source = source(i, options.pasvSources());
            long delay = RAMP_MILLIS * i / options.pasvSessions();
            squatters.add(Thread.ofVirtual().name("squatter-", i).start(() -> {
                sleep(delay);
                try (Socket socket = connect(source, port)) {
                    Control control = Control.login(socket);
                    sessions.incrementAndGet();
                    for (int round = 0; round < MAX_ROUNDS && System.nanoTime() < end; round++) {
                        String reply = control.command("PASV"); // and never connect to it
                        (reply.startsWith("227") ? granted : noPort).incrementAndGet();
                        sleep(1_000);
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    failure.compareAndSet(null, e.getMessage());
                }
            }));
        }
        sleep(RAMP_MILLIS); // the squatters hold the range before the first probe
        Probes probes = probe(port, end);
        join(squatters, end);
        String figures = String.format("%d squatting sessions (%d failed%s); their PASV: %d got a port, %d got 425",
                sessions.get(), failed.get(), failure.get() == null ? "" : ": " + failure.get(), granted.get(),
                noPort.get());
        return new Result(String.format("PASV squatting: %d sessions from %d addresses send PASV every second and "
                        + "never connect, %d passive ports, %d s", options.pasvSessions(), options.pasvSources(),
                options.pasvPorts(), options.seconds()), probes, figures, "");
    }

    // ---- clients that never read

    static Result noread(int port, HostileLoad.Options options) throws InterruptedException {
        long end = System.nanoTime() + HostileLoad.seconds(options.seconds()).toNanos();
        AtomicInteger stuck = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < options.noread(); i++) {
            String source = source(i, 40);
            long delay = RAMP_MILLIS * i / options.noread();
            readers.add(Thread.ofVirtual().name("noread-", i).start(() -> {
                sleep(delay);
                try (Socket socket = connect(source, port)) {
                    Control control = Control.login(socket);
                    control.command("TYPE I");
                    String pasv = control.command("PASV");
                    try (Socket data = new Socket()) {
                        data.setReceiveBufferSize(4096);
                        data.bind(new InetSocketAddress(source, 0));
                        data.connect(new InetSocketAddress(HOST, pasvPort(pasv)), 5_000);
                        control.send("RETR " + BIG_FILE); // then read neither the data nor the replies
                        stuck.incrementAndGet();
                        sleep((end - System.nanoTime()) / 1_000_000);
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    failure.compareAndSet(null, e.getMessage());
                }
            }));
        }
        sleep(RAMP_MILLIS);
        Probes probes = probe(port, end);
        join(readers, end);
        String figures = String.format("%d sessions stuck in a 16 MiB RETR they never read (%d failed to start%s)",
                stuck.get(), failed.get(), failure.get() == null ? "" : ": " + failure.get());
        return new Result(String.format("never-reading clients: %d sessions start RETR and never read, %d s",
                options.noread(), options.seconds()), probes, figures, "");
    }

    // ---- CPU on the session thread: hostile patterns and checksums

    /** A name built so that a backtracking matcher of {@link #HOSTILE_PATTERNS} takes exponential time. */
    static final String LONG_NAME = "a".repeat(60);
    /** The patterns of the jail issue: STAT /pub/******! froze a 60-character name for 3.1 s. */
    static final List<String> HOSTILE_PATTERNS = List.of("******!", "*a*a*a*a*a*a*a!", "?*?*?*?*?*?*?*?*!");

    /**
     * N logged-in sessions sending {@code STAT /pub/<hostile pattern>} in a loop: with a backtracking
     * matcher two of them hold both carriers and nobody else is served.
     */
    static Result glob(int port, HostileLoad.Options options) throws InterruptedException {
        return commandLoop(port, options, "glob", options.cpuSessions(),
                round -> "STAT /pub/" + HOSTILE_PATTERNS.get(round % HOSTILE_PATTERNS.size()),
                String.format("hostile patterns: %d sessions send STAT /pub/<%s> in a loop against a %d-character "
                        + "name, %d s", options.cpuSessions(), String.join(" | ", HOSTILE_PATTERNS), LONG_NAME.length(),
                        options.seconds()));
    }

    /** N logged-in sessions asking for the SHA-256 of the 16 MiB file in a loop (no stored checksum: computed). */
    static Result hash(int port, HostileLoad.Options options) throws InterruptedException {
        return commandLoop(port, options, "hash", options.cpuSessions(), round -> "XSHA256 " + BIG_FILE,
                String.format("checksums: %d sessions send XSHA256 of a 16 MiB file in a loop, %d s",
                        options.cpuSessions(), options.seconds()));
    }

    private static Result commandLoop(int port, HostileLoad.Options options, String name, int sessions,
                                      java.util.function.IntFunction<String> command, String attack)
            throws InterruptedException {
        long end = System.nanoTime() + HostileLoad.seconds(options.seconds()).toNanos();
        ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> attackers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String source = source(i, 2);
            attackers.add(Thread.ofVirtual().name(name + "-", i).start(() -> {
                try (Socket socket = connect(source, port)) {
                    socket.setSoTimeout(120_000);
                    Control control = Control.login(socket);
                    for (int round = 0; round < MAX_ROUNDS && System.nanoTime() < end; round++) {
                        long start = System.nanoTime();
                        control.send(command.apply(round));
                        String reply = lastLine(control.in);
                        millis.add((System.nanoTime() - start) / 1_000_000);
                        if (!reply.startsWith("2") && !reply.startsWith("450")) {
                            failed.incrementAndGet();
                            failure.compareAndSet(null, reply);
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    failure.compareAndSet(null, e.getMessage());
                }
            }));
        }
        Probes probes = probe(port, end);
        join(attackers, end);
        Stats answered = new Stats(millis.stream().mapToLong(Long::longValue).toArray());
        String figures = String.format("%d commands answered, p50 %s ms, max %s ms; %d failed%s", millis.size(),
                Figures.number(answered.percentile(50)), Figures.number(answered.percentile(100)), failed.get(),
                failure.get() == null ? "" : " (" + failure.get() + ")");
        return new Result(attack, probes, figures, "");
    }

    /** The last line of a reply, single- or multi-line ({@code 212-...} up to {@code 212 ...}). */
    private static String lastLine(InputStream in) throws IOException {
        String first = line(in);
        if (first.length() < 4 || first.charAt(3) != '-') {
            return first;
        }
        String end = first.substring(0, 3) + " ";
        for (int i = 0; i < 1_000_000; i++) {
            String next = line(in);
            if (next.startsWith(end)) {
                return next;
            }
        }
        throw new IOException("reply without an end");
    }

    // ---- the well-behaved client

    /** Every {@link #PROBE_EVERY_MILLIS} until {@code end}: connect, log in, RETR 1 MiB, QUIT. */
    static Probes probe(int port, long end) {
        List<Long> logins = new ArrayList<>();
        List<Long> retrs = new ArrayList<>();
        int attempts = 0;
        int failed = 0;
        String first = null;
        while (System.nanoTime() < end && attempts < 10_000) {
            long next = System.nanoTime() + PROBE_EVERY_MILLIS * 1_000_000L;
            attempts++;
            BenchClient client = null;
            try {
                long start = System.nanoTime();
                client = BenchClient.login(HOST, port, "anonymous", "probe@example.com");
                long loggedIn = System.nanoTime();
                long bytes = client.retrieve(PROBE_FILE, null);
                long done = System.nanoTime();
                if (bytes != 1024 * 1024) {
                    throw new IOException("RETR gave " + bytes + " bytes");
                }
                logins.add((loggedIn - start) / 1_000_000);
                retrs.add((done - loggedIn) / 1_000_000);
                if (done - start > 500_000_000L) { // on stderr, to see when in the attack the slow ones were
                    System.err.printf("  slow probe %d: login %d ms, RETR %d ms, %.1f s before the end%n", attempts,
                            (loggedIn - start) / 1_000_000, (done - loggedIn) / 1_000_000, (end - start) / 1e9);
                }
            } catch (IOException e) {
                failed++;
                if (first == null) {
                    first = e.getMessage();
                }
            } finally {
                if (client != null) {
                    client.quietly();
                }
            }
            sleep((next - System.nanoTime()) / 1_000_000);
        }
        Stats login = new Stats(logins.stream().mapToLong(Long::longValue).toArray());
        Stats retr = new Stats(retrs.stream().mapToLong(Long::longValue).toArray());
        return new Probes(attempts, logins.size(), failed, first, login.percentile(50), login.percentile(99),
                login.percentile(100), retr.percentile(50), retr.percentile(100));
    }

    // ---- helpers

    /** 127.0.0.2 and up: {@code count} attacker addresses. */
    private static String source(int index, int count) {
        return "127.0.0." + (2 + index % count);
    }

    private static Socket connect(String source, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(HOST, port), 10_000);
            socket.setSoTimeout(30_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** One reply line (at most 4 KiB), without the CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < 4096; i++) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    throw new IOException("closed");
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).strip();
    }

    /** What is left to read until the server closes (at most 64 KiB). */
    private static String rest(InputStream in) throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        while (rest.size() < 64 * 1024 && (n = in.read(buffer)) >= 0) {
            rest.write(buffer, 0, n);
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    private static int pasvPort(String reply) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)")
                .matcher(reply);
        if (!m.find()) {
            throw new IOException("not a 227: " + reply);
        }
        return Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
    }

    /** A logged-in control connection that reads one-line replies. */
    private record Control(InputStream in, OutputStream out) {
        static Control login(Socket socket) throws IOException {
            Control control = new Control(socket.getInputStream(), socket.getOutputStream());
            String greeting = line(control.in);
            if (!greeting.startsWith("220")) {
                throw new IOException("not greeted: " + greeting);
            }
            control.command("USER anonymous");
            String pass = control.command("PASS attacker@example.com");
            if (!pass.startsWith("230")) {
                throw new IOException("login refused: " + pass);
            }
            return control;
        }

        void send(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String command(String command) throws IOException {
            send(command);
            return line(in);
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the attackers, at most 40 s past the end (their socket timeouts end them by then). */
    private static void join(List<Thread> threads, long end) throws InterruptedException {
        long limit = end + 40_000_000_000L;
        for (Thread thread : threads) {
            long left = limit - System.nanoTime();
            if (left <= 0 || !thread.join(java.time.Duration.ofNanos(left))) {
                break;
            }
        }
    }
}
