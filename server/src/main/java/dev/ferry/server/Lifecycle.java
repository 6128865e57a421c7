package dev.ferry.server;

import dev.ferry.server.auth.UserStore;
import dev.ferry.server.auth.UsersFileException;
import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StorageProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A started server's life in the {@code ferry} process: SIGHUP (or config_watch) re-reads the
 * config files of the command line and reloads; SIGTERM and SIGINT stop gracefully within
 * stop_grace_period and exit 0.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    /** config_watch: how often the config files' size and modification time are compared. */
    static final Duration WATCH_PERIOD = Duration.ofSeconds(2);

    private final Storage storage;
    private final List<Source> sources;
    private final List<StorageProvider.Setting> backendSettings;
    /** The config files' stamps when they were read (config_watch compares against them). */
    private final List<String> readStamps;
    private volatile FtpServer server;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Created before the server starts, so a file changed meanwhile is seen as changed. */
    Lifecycle(Storage storage, List<Source> sources, List<StorageProvider.Setting> backendSettings) {
        this.storage = storage;
        this.sources = List.copyOf(sources);
        this.backendSettings = List.copyOf(backendSettings);
        this.readStamps = stamps();
    }

    /** users_file's users, or none without one: the same at start and at each reload. */
    static UserStore users(ServerConfig config) throws UsersFileException {
        return config.get(CoreDirectives.USERS_FILE).isPresent()
                ? UserStore.load(config.get(CoreDirectives.USERS_FILE).get()) : UserStore.empty();
    }

    /**
     * Installs the signal handlers, a shutdown hook for any other exit, and the config_watch
     * thread; then waits until {@code started} has stopped.
     */
    void run(FtpServer started) {
        server = started;
        // sun.misc.Signal (module jdk.unsupported) is the JDK's only way to catch a signal. Handling
        // TERM and INT ourselves, instead of leaving them to the JVM's shutdown, is what lets the
        // process exit 0 after a graceful stop (the JVM would exit 143 / 130).
        handle("HUP", () -> reload("SIGHUP"));
        handle("TERM", () -> stopAndExit("SIGTERM"));
        handle("INT", () -> stopAndExit("SIGINT"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "ferry-shutdown"));
        Thread.ofVirtual().name("ferry-config-watch").start(this::watch);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void handle(String signal, Runnable action) {
        try {
            Signal.handle(new Signal(signal), ignored -> action.run());
        } catch (IllegalArgumentException e) {
            // no such signal here (Windows has no HUP), or the JVM runs with -Xrs: config_watch and
            // the shutdown hook still work
            LOG.info("SIG{} is not available ({}); see config_watch", signal, e.getMessage());
        }
    }

    /**
     * Re-reads every config file and the {@code -o} settings and applies them to new sessions. Logs
     * "configuration reloaded from ..." or "configuration rejected: ..." with the message a start
     * would have stopped with; a rejected configuration leaves the running one in force.
     */
    boolean reload(String why) {
        try {
            ServerConfig config = ServerConfig.load(reread(), backendSettings);
            config.warnings().forEach(LOG::warn);
            server.reload(config, users(config));
            LOG.info("configuration reloaded from {} ({})", describe(), why);
            return true;
        } catch (ConfigException | UsersFileException | IOException e) {
            LOG.error("configuration rejected: {}; the running configuration stays", e.getMessage());
        } catch (StorageException e) {
            LOG.error("configuration rejected: storage: {}; the running configuration stays", e.getMessage());
        }
        return false;
    }

    /** The command line's sources with every config file read again. */
    private List<Source> reread() throws ConfigException {
        List<Source> fresh = new ArrayList<>();
        for (Source source : sources) {
            fresh.add(source instanceof Source.File file ? Source.file(Path.of(file.name())) : source);
        }
        return fresh;
    }

    private String describe() {
        List<String> names = sources.stream()
                .map(source -> source instanceof Source.File file ? file.name() : "the command line").toList();
        return names.isEmpty() ? "the defaults" : String.join(", ", names);
    }

    /**
     * config_watch, for platforms without SIGHUP: compares the config files' size and modification
     * time every {@link #WATCH_PERIOD} and reloads when they changed. It runs always and acts only
     * while the current configuration has config_watch=YES, so a reload can turn it on or off.
     */
    private void watch() {
        List<String> seen = readStamps;
        while (!stopping.get()) {
            try {
                Thread.sleep(WATCH_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            List<String> now = stamps();
            if (!now.equals(seen)) {
                seen = now; // a rejected file is not retried until it changes again
                if (server.config().get(CoreDirectives.CONFIG_WATCH) && !stopping.get()) {
                    reload("config_watch");
                }
            }
        }
    }

    private List<String> stamps() {
        List<String> stamps = new ArrayList<>();
        for (Source source : sources) {
            if (source instanceof Source.File file) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(Path.of(file.name()),
                            BasicFileAttributes.class);
                    stamps.add(attributes.lastModifiedTime() + " " + attributes.size());
                } catch (IOException e) {
                    stamps.add("unreadable"); // being replaced; the reload will say what is wrong
                }
            }
        }
        return stamps;
    }

    private void stopAndExit(String why) {
        LOG.info("{}: stopping; running transfers get up to {} s", why,
                server.config().get(CoreDirectives.STOP_GRACE_PERIOD).toSeconds());
        stop();
        System.exit(0);
    }

    /**
     * Stops the server once, within stop_grace_period as the current configuration sets it, then
     * closes the storage. A second caller waits for the first to finish.
     */
    void stop() {
        if (stopping.compareAndSet(false, true)) {
            try {
                server.stop(server.config().get(CoreDirectives.STOP_GRACE_PERIOD));
                storage.close();
            } finally {
                stopped.countDown();
            }
            return;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
