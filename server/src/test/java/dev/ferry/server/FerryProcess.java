package dev.ferry.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ferry as its own operating-system process ({@code java dev.ferry.server.Main -c FILE}, the JDK
 * running the tests and the test class path), with its log in a file: for what only a real
 * process shows, signals and the exit status.
 */
final class FerryProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Ferry listening on \\S*:(\\d+)");

    final Process process;
    final Path log;
    final int port;

    private FerryProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Ferry on {@code config} and waits until it listens; its output goes to {@code log}. */
    static FerryProcess start(Path config, Path log) throws Exception {
        return start(config, log, List.of());
    }

    /** {@link #start(Path, Path)} with {@code jvmOptions} before the class name (e.g. one carrier thread). */
    static FerryProcess start(Path config, Path log, List<String> jvmOptions) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "the path of the running java is not known");
        // the server's own logging setup, not a logback-test.xml that the test class path may hold
        URL logging = Main.class.getResource("/logback.xml");
        assumeTrue(logging != null, "no logback.xml on the class path");
        List<String> command = new ArrayList<>(List.of(java, "-Dlogback.configurationFile=" + logging));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "-c",
                config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FerryProcess ferry = new FerryProcess(process, log, 0);
        try {
            Matcher listening = LISTENING.matcher(ferry.await(0, "Ferry listening on", Duration.ofSeconds(30)));
            if (!listening.find()) {
                throw new IOException("no port in the listening line");
            }
            return new FerryProcess(process, log, Integer.parseInt(listening.group(1)));
        } catch (Exception e) {
            ferry.close();
            throw e;
        }
    }

    /** How much the log holds now: {@link #await} after an action looks only at what follows. */
    long mark() throws IOException {
        return Files.size(log);
    }

    /** The first log line after {@code mark} containing {@code text}; fails after {@code limit}. */
    String await(long mark, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            boolean alive = process.isAlive(); // asked first: once it has exited, the log read next is whole
            byte[] bytes = Files.readAllBytes(log);
            String written = new String(bytes, StandardCharsets.UTF_8);
            int from = (int) Math.min(mark, bytes.length);
            String after = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
            for (String line : after.lines().toList()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!alive || System.nanoTime() > deadline) {
                throw new AssertionError("no log line with '" + text + "' (process "
                        + (alive ? "running" : "exited " + process.exitValue()) + "); log:\n" + written);
            }
            Thread.sleep(50);
        }
    }

    /** Sends SIGHUP with kill(1), as systemd's ExecReload does. */
    void hangUp() throws Exception {
        Path kill = Path.of("/bin/kill");
        assumeTrue(Files.isExecutable(kill), "no /bin/kill");
        Process sent = new ProcessBuilder(kill.toString(), "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!sent.waitFor(10, TimeUnit.SECONDS) || sent.exitValue() != 0) {
            throw new IOException("kill -HUP failed");
        }
    }

    /** SIGTERM (Process.destroy on Linux), then the exit status, or -1 if still running after {@code limit}. */
    int terminate(Duration limit) throws InterruptedException {
        process.destroy();
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Kills the process if it still runs; an interrupt while waiting for it keeps the thread's flag. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
