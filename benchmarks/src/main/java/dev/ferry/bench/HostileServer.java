package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The server child of {@link HostileLoad}: Ferry on the in-memory backend serving a copy of ROOT,
 * with the load tool's settings and then the given {@code name=value} overrides (the attack's
 * limits and timeouts). Same stdin/stdout protocol as {@link ServerProcess}: prints {@code port N},
 * stops on {@code stop} or the end of input.
 */
public final class HostileServer {

    private HostileServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HostileServer ROOT [name=value ...]");
            System.exit(2);
        }
        List<String> settings = Arrays.asList(args).subList(1, args.length);
        try (EmbeddedServer server = FerryLauncher.memory(Path.of(args[0]), settings);
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("port " + server.port());
            System.out.flush();
            String line;
            while ((line = commands.readLine()) != null && !line.equals("stop")) {
                System.out.println("error unknown command " + line);
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
