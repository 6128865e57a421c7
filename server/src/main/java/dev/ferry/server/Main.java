package dev.ferry.server;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.auth.UsersFileException;
import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StorageProvider;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry [-c FILE]... [-o name=value]...}: config files are read in order, then the
 * {@code -o} settings; later ones win. {@code ferry --hash-password} prints a SHA-512 crypt hash
 * for the users file.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    static final String USAGE = """
            usage: ferry [-c FILE]... [-o name=value]...
                   ferry --hash-password      read a password on stdin, print its hash for users_file
              -c FILE          read a vsftpd.conf-style config file (repeatable; later files win)
              -o name=value    set one directive after the files (repeatable), e.g. -o anon_root=pub
            """;

    /** What the command line asked for. */
    sealed interface Command {
        record Serve(List<Source> sources) implements Command {
        }

        record HashPassword() implements Command {
        }

        record Help() implements Command {
        }
    }

    /** A command line that makes no sense; the message says why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        try {
            switch (parse(args)) {
                case Command.Help help -> System.out.print(USAGE);
                case Command.HashPassword hash -> System.out.println(PasswordHash.sha512Crypt(readPassword()));
                case Command.Serve serve -> serve(serve.sources());
            }
        } catch (UsageException e) {
            fail(System.err, e.getMessage() + "\n" + USAGE);
        } catch (ConfigException | UsersFileException e) {
            fail(System.err, e.getMessage());
        } catch (StorageException e) {
            fail(System.err, "storage: " + e.getMessage());
        } catch (IOException e) {
            fail(System.err, e.getMessage());
        }
    }

    private static void fail(PrintStream err, String message) {
        err.println("ferry: " + message);
        System.exit(2);
    }

    static Command parse(String[] args) throws UsageException, ConfigException {
        List<Source> sources = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return new Command.Help();
                }
                case "--hash-password" -> {
                    return new Command.HashPassword();
                }
                case "-c", "-o" -> {
                    if (i + 1 == args.length) {
                        throw new UsageException(arg + " needs an argument");
                    }
                    String value = args[++i];
                    if (arg.equals("-c")) {
                        flush(sources, overrides);
                        sources.add(Source.file(Path.of(value)));
                    } else {
                        overrides.add(value);
                    }
                }
                default -> {
                    if (arg.startsWith("-o") && arg.length() > 2) {
                        overrides.add(arg.substring(2)); // vsftpd's own spelling: -olisten_port=2121
                    } else if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg);
                    } else {
                        flush(sources, overrides);
                        sources.add(Source.file(Path.of(arg))); // vsftpd takes the config file as an argument
                    }
                }
            }
        }
        flush(sources, overrides);
        return new Command.Serve(sources);
    }

    /** Keeps the order of the command line: -o given before a -c FILE is overridden by that file. */
    private static void flush(List<Source> sources, List<String> overrides) {
        if (!overrides.isEmpty()) {
            sources.add(Source.overrides(List.copyOf(overrides)));
            overrides.clear();
        }
    }

    private static void serve(List<Source> sources) throws ConfigException, UsersFileException, IOException,
            StorageException {
        List<StorageProvider> providers = StorageProvider.installed();
        List<StorageProvider.Setting> backendSettings = providers.stream()
                .flatMap(provider -> provider.settings().stream()).toList();
        ServerConfig config = ServerConfig.load(sources, backendSettings);
        config.warnings().forEach(LOG::warn);
        String backend = config.get(CoreDirectives.STORAGE);
        StorageProvider provider = providers.stream().filter(p -> p.name().equals(backend)).findFirst()
                .orElseThrow(() -> new ConfigException("storage=" + backend + ": no such backend (installed: "
                        + String.join(", ", providers.stream().map(StorageProvider::name).toList()) + ")"));
        UserStore users = Lifecycle.users(config);
        Storage storage = provider.open(config.backendSettings());
        Lifecycle lifecycle = new Lifecycle(storage, sources, backendSettings);
        FtpServer server;
        try {
            server = FtpServer.start(config, storage, users);
        } catch (IOException | StorageException | ConfigException | RuntimeException e) {
            storage.close();
            throw e;
        }
        lifecycle.run(server);
    }

    private static String readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] password = console.readPassword("Password: ");
            if (password == null) {
                throw new IOException("no password given");
            }
            return new String(password);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new IOException("no password given on standard input");
        }
        return line;
    }
}
