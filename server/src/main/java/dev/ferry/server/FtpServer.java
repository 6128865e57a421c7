package dev.ferry.server;

import dev.ferry.server.auth.UserStore;
import dev.ferry.server.command.Dispatcher;
import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.Directive;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.log.ActivityLog;
import dev.ferry.server.log.JsonLog;
import dev.ferry.server.metrics.Metrics;
import dev.ferry.server.metrics.MetricsEndpoint;
import dev.ferry.server.net.Listener;
import dev.ferry.server.session.Connection;
import dev.ferry.server.session.ServerContext;
import dev.ferry.server.transfer.StallWatchdog;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Ferry server: one listener (two with implicit_ssl_listen_port), one virtual thread per
 * connection. {@link #start} binds and returns; {@link #stop} ends it gracefully.
 */
public final class FtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FtpServer.class);
    /** How long a stop waits for cut sessions to finish aborting their transfers. */
    private static final Duration SESSION_END = Duration.ofSeconds(5);

    /**
     * What a reload cannot change: the sockets are bound, the storage is open, and the stall
     * watchdog, transfer slots and global rate limits span sessions of every configuration. The
     * running values stay, with a warning. Every storage backend setting is restart-only too.
     */
    private static final Set<String> RESTART_ONLY = Set.of(CoreDirectives.LISTEN_PORT.name(),
            CoreDirectives.LISTEN_ADDRESS.name(), CoreDirectives.LISTEN_ADDRESS6.name(),
            CoreDirectives.LISTEN_IPV6.name(), CoreDirectives.IMPLICIT_SSL.name(),
            CoreDirectives.IMPLICIT_SSL_LISTEN_PORT.name(), CoreDirectives.STORAGE.name(),
            CoreDirectives.DATA_CONNECTION_TIMEOUT.name(), CoreDirectives.MAX_TRANSFERS.name(),
            CoreDirectives.GLOBAL_MAX_RATE.name(), CoreDirectives.GLOBAL_MAX_UPLOAD_RATE.name(),
            CoreDirectives.GLOBAL_MAX_DOWNLOAD_RATE.name(),
            // the metrics listener and registry live as long as the server
            CoreDirectives.METRICS_ENABLE.name(), CoreDirectives.METRICS_LISTEN_ADDRESS.name(),
            CoreDirectives.METRICS_LISTEN_PORT.name(),
            // one logger for the whole JVM: the server owns it (jsonLog), not a configuration's logs
            CoreDirectives.JSON_LOG_ENABLE.name(), CoreDirectives.JSON_LOG_FILE.name());

    /** What ActivityLog.open reads: the log files are reopened on a reload only when one of these changed. */
    private static final Set<String> LOG_SETTINGS = Set.of(CoreDirectives.XFERLOG_ENABLE.name(),
            CoreDirectives.DUAL_LOG_ENABLE.name(), CoreDirectives.XFERLOG_STD_FORMAT.name(),
            CoreDirectives.SYSLOG_ENABLE.name(), CoreDirectives.XFERLOG_FILE.name(),
            CoreDirectives.VSFTPD_LOG_FILE.name(), CoreDirectives.LOG_FTP_PROTOCOL.name());

    /** The context new sessions get; a session keeps the one it was accepted with for its life. */
    private volatile ServerContext context;
    private final Listener listener;
    /** implicit_ssl_listen_port: implicit FTPS next to the explicit listener; null without one. */
    private final Listener implicitListener;
    /** Each open session with the context it was accepted with. */
    private final Map<Connection, ServerContext> connections = new ConcurrentHashMap<>();
    /** Logs of earlier configurations, closed once no session uses them. */
    private final List<ActivityLog> retiredLogs = new ArrayList<>();
    /** Guards the swap of {@link #context}, {@link #retiredLogs} and the context a new session takes. */
    private final ReentrantLock contexts = new ReentrantLock();
    /** One reload at a time (SIGHUP and config_watch may ask together). */
    private final ReentrantLock reloading = new ReentrantLock();
    private final AtomicLong ids = new AtomicLong();
    /** Lives as long as the server, across reloads of the context; {@link Metrics#OFF} without metrics_enable. */
    private final Metrics metrics;
    /** The HTTP listener of metrics_enable; null without it. */
    private final MetricsEndpoint metricsEndpoint;
    /** json_log_enable: shared by the logs of every configuration, closed at stop. */
    private final Optional<JsonLog> jsonLog;

    private FtpServer(ServerContext context, ServerSocket socket, ServerSocket implicitSocket, Metrics metrics,
                      MetricsEndpoint metricsEndpoint, Optional<JsonLog> jsonLog) {
        this.context = context;
        this.jsonLog = jsonLog;
        this.metrics = metrics;
        this.metricsEndpoint = metricsEndpoint;
        boolean implicit = context.config().get(CoreDirectives.IMPLICIT_SSL);
        this.listener = new Listener(socket, accepted -> onConnection(accepted, implicit));
        this.implicitListener = implicitSocket == null ? null
                : new Listener(implicitSocket, accepted -> onConnection(accepted, true));
    }

    /**
     * Binds listen_address:listen_port and starts accepting. Fails with a message naming the
     * problem when the port is taken, anon_root is not a directory of the storage, a file the
     * access directives name cannot be used, or the TLS certificate, key or keystore password is
     * wrong, or (metrics_enable) the metrics listener cannot bind.
     */
    public static FtpServer start(ServerConfig config, Storage storage, UserStore users)
            throws IOException, StorageException, ConfigException {
        Metrics metrics = config.get(CoreDirectives.METRICS_ENABLE)
                ? Metrics.prometheus(config.get(CoreDirectives.STORAGE)) : Metrics.OFF;
        MetricsEndpoint endpoint = null;
        try {
            if (metrics.enabled()) {
                endpoint = MetricsEndpoint.start(Startup.metricsAddress(config), metrics);
            }
            // wrapped once here, so every session's storage calls are timed
            return start(config, metrics.meter(storage), users, metrics, endpoint);
        } catch (IOException | StorageException | ConfigException | RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            metrics.close();
            throw e;
        }
    }

    private static FtpServer start(ServerConfig config, Storage storage, UserStore users, Metrics metrics,
                                   MetricsEndpoint endpoint) throws IOException, StorageException, ConfigException {
        Startup.Prepared prepared = Startup.Prepared.of(config, storage);
        Optional<JsonLog> jsonLog = JsonLog.open(config);
        ActivityLog log;
        try {
            log = ActivityLog.open(config, jsonLog);
        } catch (IOException e) {
            jsonLog.ifPresent(JsonLog::close);
            throw e;
        }
        StallWatchdog watchdog = new StallWatchdog(config.get(CoreDirectives.DATA_CONNECTION_TIMEOUT));
        InetSocketAddress address = Startup.bindAddress(config);
        ServerSocket socket = null;
        ServerSocket implicitSocket = null;
        try {
            socket = Startup.bind(address);
            int implicitPort = config.get(CoreDirectives.IMPLICIT_SSL_LISTEN_PORT);
            if (implicitPort > 0) {
                implicitSocket = Startup.bind(new InetSocketAddress(address.getAddress(), implicitPort));
            }
        } catch (IOException e) {
            if (socket != null) {
                socket.close();
            }
            watchdog.close();
            log.close();
            jsonLog.ifPresent(JsonLog::close);
            throw e;
        }
        ServerContext context = ServerContext.of(config, storage, users, prepared.anonRoot(), prepared.passiveAddress(),
                watchdog, log, prepared.access(), prepared.tls(), metrics);
        FtpServer server = new FtpServer(context, socket, implicitSocket, metrics, endpoint, jsonLog);
        metrics.passivePortsInUse(() -> server.context.passivePorts().inUse());
        server.listener.start();
        LOG.info("Ferry listening on {}{}", socket.getLocalSocketAddress(),
                config.get(CoreDirectives.IMPLICIT_SSL) ? " (implicit FTPS)"
                        : prepared.tls().isPresent() ? " (FTPS: AUTH TLS)" : "");
        if (server.implicitListener != null) {
            server.implicitListener.start();
            LOG.info("Ferry listening on {} (implicit FTPS)", implicitSocket.getLocalSocketAddress());
        }
        if (endpoint != null) {
            LOG.info("Ferry metrics on http://{}:{}/metrics", config.get(CoreDirectives.METRICS_LISTEN_ADDRESS),
                    endpoint.port());
        }
        Thread.ofVirtual().name("ferry-recover").start(() -> Startup.recover(context));
        return server;
    }

    /**
     * Applies a new configuration to sessions that connect from now on; sessions already open keep
     * the one they started with. Everything the configuration names is read first (access files,
     * TLS identity, anon_root, pasv_address, log files); if any of it fails this throws with the
     * message a start would give, and the running configuration stays. Directives only a restart
     * can change keep their running value, with one warning each.
     */
    public void reload(ServerConfig fresh, UserStore users) throws IOException, StorageException, ConfigException {
        reloading.lock();
        try {
            ServerContext running = context;
            Predicate<String> restartOnly = name -> RESTART_ONLY.contains(name) || fresh.isBackend(name);
            List<String> kept = fresh.differences(running.config(), restartOnly);
            ServerConfig config = fresh.keeping(running.config(), restartOnly);
            Startup.Prepared prepared = Startup.Prepared.of(config, running.storage());
            boolean sameLog = config.differences(running.config(), LOG_SETTINGS::contains).isEmpty();
            ActivityLog log = sameLog ? running.log() : ActivityLog.open(config, jsonLog);
            ServerContext next = running.reloaded(config, users, prepared.anonRoot(), prepared.passiveAddress(),
                    log, prepared.access(), prepared.tls());
            for (String name : kept) {
                LOG.warn("{} changed, but only a restart applies it: keeping {}={}", name, name,
                        config.directive(name).map(d -> format(d, config)).orElse("?"));
            }
            contexts.lock();
            try {
                context = next;
                if (!sameLog) {
                    retiredLogs.add(running.log());
                }
            } finally {
                contexts.unlock();
            }
            closeUnusedLogs();
        } finally {
            reloading.unlock();
        }
    }

    private static <T> String format(Directive<T> directive, ServerConfig config) {
        return directive.type().format(config.get(directive));
    }

    /** Closes the logs of earlier configurations that no open session writes to any more. */
    private void closeUnusedLogs() {
        List<ActivityLog> unused = new ArrayList<>();
        contexts.lock();
        try {
            for (ActivityLog log : List.copyOf(retiredLogs)) {
                boolean inUse = log == context.log()
                        || connections.values().stream().anyMatch(session -> session.log() == log);
                if (!inUse) {
                    retiredLogs.remove(log);
                    unused.add(log);
                }
            }
        } finally {
            contexts.unlock();
        }
        unused.forEach(ActivityLog::close); // outside the lock: closing drains the queued lines
    }

    /** The configuration new sessions get. */
    public ServerConfig config() {
        return context.config();
    }

    private void onConnection(java.net.Socket socket, boolean implicitTls) {
        long id = ids.incrementAndGet();
        Connection connection;
        contexts.lock();
        try {
            // under the lock: a reload cannot retire this context's log between taking and recording it
            ServerContext current = context;
            connection = new Connection(id, socket, current, () -> context, implicitTls, Dispatcher::dispatch);
            connections.put(connection, current);
        } finally {
            contexts.unlock();
        }
        Thread.ofVirtual().name("ferry-session-" + id).start(() -> {
            try {
                connection.run();
            } finally {
                connections.remove(connection);
                closeUnusedLogs();
            }
        });
    }

    /** The port actually bound (useful with listen_port=0). */
    public int port() {
        return listener.port();
    }

    /**
     * Stops accepting, tells idle sessions 421 and closes them, lets running transfers finish for
     * up to {@code grace}, then tells and closes what is left and waits (up to 5 s) until those
     * sessions have aborted their transfers.
     */
    public void stop(Duration grace) {
        for (Listener open : implicitListener == null ? List.of(listener) : List.of(listener, implicitListener)) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.warn("closing the listener: {}", e.toString());
            }
        }
        connections.keySet().forEach(Connection::stop);
        awaitUntil(() -> connections.keySet().stream().noneMatch(Connection::transferring), grace);
        connections.keySet().forEach(Connection::tellAndClose);
        // a transfer cut above aborts in its session's thread (the upload is discarded, not
        // committed): wait for that before the caller closes the storage
        awaitUntil(connections::isEmpty, SESSION_END);
        context.watchdog().close();
        context.logins().close();
        contexts.lock();
        try {
            retiredLogs.forEach(ActivityLog::close);
            retiredLogs.clear();
        } finally {
            contexts.unlock();
        }
        context.log().close();
        jsonLog.ifPresent(JsonLog::close);
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        metrics.close();
        LOG.info("Ferry stopped");
    }

    /** Polls {@code done} every 50 ms until it holds or {@code limit} has passed. */
    private static void awaitUntil(BooleanSupplier done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
