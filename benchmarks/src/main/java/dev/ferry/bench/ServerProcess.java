package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The main of a server child process started by the load tool: one embedded server in a JVM of its
 * own, so its memory is its own and its file descriptors do not count against the load clients'.
 *
 * <p>Protocol on stdin/stdout, one line each: it prints {@code port N} once listening; then
 * {@code memory} is answered with a {@link MemorySample} line, and {@code stop} or end of input
 * stops the server and ends the process.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ServerProcess SERVER ROOT");
            System.exit(2);
        }
        try (EmbeddedServer server = Servers.start(args[0], Path.of(args[1]));
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("port " + server.port());
            System.out.flush();
            String line;
            while ((line = commands.readLine()) != null && !line.equals("stop")) {
                if (line.equals("memory")) {
                    System.out.println(MemorySample.ofThisJvm().toLine());
                } else {
                    System.out.println("error unknown command " + line);
                }
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
