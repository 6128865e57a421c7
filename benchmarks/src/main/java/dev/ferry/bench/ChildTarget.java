package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded server in a child JVM ({@link ServerProcess}), started with the load tool's own java
 * and class path and the same JVM options for every server, serving the fixtures directory.
 */
final class ChildTarget implements Target {

    /** The same for every server: a heap that can grow and shrink, the JDK's default collector. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx2g");
    private static final long ANSWER_SECONDS = 60;

    private final String name;
    private final Process process;
    private final BufferedReader replies;
    private final Writer commands;
    private final int port;

    private ChildTarget(String name, Process process) throws IOException, InterruptedException {
        this.name = name;
        this.process = process;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = answer();
        // the JVM may print a few lines first (JFR's "Started recording" goes to stdout)
        for (int skipped = 0; skipped < 20 && first != null && first.startsWith("["); skipped++) {
            first = answer();
        }
        if (first == null || !first.startsWith("port ")) {
            process.destroyForcibly();
            throw new IOException(name + " did not start: " + first);
        }
        this.port = Integer.parseInt(first.substring(5).trim());
    }

    /** {@code jfr}: a directory to record the server to with JFR, or null. */
    static ChildTarget start(String server, Path root, Path jfr) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_OPTIONS);
        String extra = System.getenv("CHILD_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+"))); // to compare a JVM setting, run by run
        }
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=settings=profile,jdk.CPUTimeSample#enabled=true,filename="
                    + jfr.toAbsolutePath().resolve(server + ".jfr"));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerProcess.class.getName());
        command.add(server);
        command.add(root.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ChildTarget(server, process);
    }

    /** The next line from the child, waiting at most {@link #ANSWER_SECONDS}. */
    private String answer() throws IOException, InterruptedException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return replies.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, command -> Thread.ofVirtual().start(command));
        try {
            return line.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(name + " did not answer within " + ANSWER_SECONDS + " s");
        }
    }

    @Override
    public MemorySample memory() throws IOException, InterruptedException {
        commands.write("memory\n");
        commands.flush();
        return MemorySample.fromLine(answer());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop(process, commands);
    }

    /** Asks a server child to stop (the {@code stop} line) and waits up to 30 s before killing it. */
    static void stop(Process process, Writer commands) {
        try {
            commands.write("stop\n");
            commands.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
