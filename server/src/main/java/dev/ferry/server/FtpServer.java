package dev.ferry.server;

import dev.ferry.server.access.AccessControl;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.log.ActivityLog;
import dev.ferry.server.metrics.Metrics;
import dev.ferry.server.metrics.MetricsEndpoint;
import dev.ferry.server.net.Listener;
import dev.ferry.server.net.PassiveAddress;
import dev.ferry.server.session.Connection;
import dev.ferry.server.session.Homes;
import dev.ferry.server.session.ServerContext;
import dev.ferry.server.tls.ServerTls;
import dev.ferry.server.transfer.StallWatchdog;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Ferry server: one listener (two with implicit_ssl_listen_port), one virtual thread per
 * connection. {@link #start} binds and returns; {@link #stop} ends it gracefully.
 */
public final class FtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FtpServer.class);

    private final ServerContext context;
    private final Listener listener;
    /** implicit_ssl_listen_port: implicit FTPS next to the explicit listener; null without one. */
    private final Listener implicitListener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Lives as long as the server, across reloads of the context; {@link Metrics#OFF} without metrics_enable. */
    private final Metrics metrics;
    /** The HTTP listener of metrics_enable; null without it. */
    private final MetricsEndpoint metricsEndpoint;

    private FtpServer(ServerContext context, ServerSocket socket, ServerSocket implicitSocket, Metrics metrics,
                      MetricsEndpoint metricsEndpoint) {
        this.context = context;
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
                endpoint = MetricsEndpoint.start(metricsAddress(config), metrics);
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
        StoragePath anonRoot = anonRoot(config, storage);
        AccessControl access = AccessControl.load(config, storage);
        Optional<ServerTls> tls = ServerTls.from(config);
        PassiveAddress passiveAddress = passiveAddress(config);
        ActivityLog log = ActivityLog.open(config);
        StallWatchdog watchdog = new StallWatchdog(config.get(CoreDirectives.DATA_CONNECTION_TIMEOUT));
        InetSocketAddress address = bindAddress(config);
        ServerSocket socket = null;
        ServerSocket implicitSocket = null;
        try {
            socket = bind(address);
            int implicitPort = config.get(CoreDirectives.IMPLICIT_SSL_LISTEN_PORT);
            if (implicitPort > 0) {
                implicitSocket = bind(new InetSocketAddress(address.getAddress(), implicitPort));
            }
        } catch (IOException e) {
            if (socket != null) {
                socket.close();
            }
            watchdog.close();
            log.close();
            throw e;
        }
        ServerContext context = ServerContext.of(config, storage, users, anonRoot, passiveAddress, watchdog, log,
                access, tls, metrics);
        FtpServer server = new FtpServer(context, socket, implicitSocket, metrics, endpoint);
        metrics.passivePortsInUse(() -> server.context.passivePorts().inUse());
        server.listener.start();
        LOG.info("Ferry listening on {}{}", socket.getLocalSocketAddress(),
                config.get(CoreDirectives.IMPLICIT_SSL) ? " (implicit FTPS)" : tls.isPresent() ? " (FTPS: AUTH TLS)" : "");
        if (server.implicitListener != null) {
            server.implicitListener.start();
            LOG.info("Ferry listening on {} (implicit FTPS)", implicitSocket.getLocalSocketAddress());
        }
        if (endpoint != null) {
            LOG.info("Ferry metrics on http://{}:{}/metrics", config.get(CoreDirectives.METRICS_LISTEN_ADDRESS),
                    endpoint.port());
        }
        Thread.ofVirtual().name("ferry-recover").start(() -> recover(context));
        return server;
    }

    /** metrics_listen_address:metrics_listen_port; an address that does not resolve stops the start. */
    private static InetSocketAddress metricsAddress(ServerConfig config) throws IOException {
        String address = config.get(CoreDirectives.METRICS_LISTEN_ADDRESS);
        try {
            return new InetSocketAddress(InetAddress.getByName(address), config.get(CoreDirectives.METRICS_LISTEN_PORT));
        } catch (UnknownHostException e) {
            throw new IOException("metrics_listen_address=" + address + " is not an address: " + e.getMessage(), e);
        }
    }

    /**
     * Removes what interrupted uploads of an earlier run left behind (a crash or kill -9 skips the
     * abort), in the background so a big tree does not delay the first client.
     */
    private static void recover(ServerContext context) {
        for (StoragePath root : Homes.served(context)) {
            try {
                context.storage().recover(root);
            } catch (StorageException e) {
                LOG.warn("could not clean up interrupted uploads below {}: {}", root, e.getMessage());
            }
        }
    }

    /** anon_root as a directory of the storage; a startup error names the directive when it is not one. */
    private static StoragePath anonRoot(ServerConfig config, Storage storage) throws StorageException {
        String text = config.get(CoreDirectives.ANON_ROOT).map(Object::toString).orElse(".");
        StoragePath root = storage.configuredPath(text);
        if (config.get(CoreDirectives.ANONYMOUS_ENABLE)) {
            try {
                if (!storage.stat(root).isDirectory()) {
                    throw new StorageException.Failed(root, "anon_root=" + text + ": not a directory", null);
                }
            } catch (StorageException.NotFound e) {
                throw new StorageException.Failed(root, "anon_root=" + text + ": no such directory", e);
            }
        }
        return root;
    }

    /**
     * pasv_address (resolved now with pasv_addr_resolve: an unknown name stops the start, as in
     * vsftpd) and pasv_address_map.
     */
    private static PassiveAddress passiveAddress(ServerConfig config) throws IOException {
        String address = config.get(CoreDirectives.PASV_ADDRESS);
        try {
            return PassiveAddress.of(config.get(CoreDirectives.PASV_ADDRESS_MAP), address,
                    config.get(CoreDirectives.PASV_ADDR_RESOLVE));
        } catch (UnknownHostException e) {
            throw new IOException("pasv_address=" + address + " does not resolve to an IPv4 address: "
                    + e.getMessage(), e);
        }
    }

    private static ServerSocket bind(InetSocketAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, 128);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    private static InetSocketAddress bindAddress(ServerConfig config) throws IOException {
        int port = config.get(CoreDirectives.LISTEN_PORT);
        if (config.get(CoreDirectives.LISTEN_IPV6)) {
            // vsftpd: listen_ipv6 listens on listen_address6, or on "::", which accepts IPv4 too
            // where the OS allows dual stack
            String address6 = config.get(CoreDirectives.LISTEN_ADDRESS6);
            String address = config.get(CoreDirectives.LISTEN_ADDRESS);
            if (!address6.isEmpty()) {
                return new InetSocketAddress(InetAddress.getByName(address6), port);
            }
            if (!address.isEmpty()) {
                return new InetSocketAddress(InetAddress.getByName(address), port);
            }
            return new InetSocketAddress(InetAddress.getByName("::"), port);
        }
        String address = config.get(CoreDirectives.LISTEN_ADDRESS);
        if (!address.isEmpty()) {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        }
        return new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port);
    }

    private void onConnection(java.net.Socket socket, boolean implicitTls) {
        long id = ids.incrementAndGet();
        Connection connection = new Connection(id, socket, context, implicitTls);
        connections.add(connection);
        Thread.ofVirtual().name("ferry-session-" + id).start(() -> {
            try {
                connection.run();
            } finally {
                connections.remove(connection);
            }
        });
    }

    /** The port actually bound (useful with listen_port=0). */
    public int port() {
        return listener.port();
    }

    /** The port of the implicit FTPS listener (implicit_ssl_listen_port), or -1 without one. */
    public int implicitPort() {
        return implicitListener == null ? -1 : implicitListener.port();
    }

    /** The port of the metrics listener (useful with metrics_listen_port=0), or -1 without metrics_enable. */
    public int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    /** Sessions currently connected. */
    public int sessionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, tells idle sessions 421 and closes them, lets running transfers finish for
     * up to {@code grace}, then closes what is left.
     */
    public void stop(Duration grace) {
        for (Listener open : implicitListener == null ? List.of(listener) : List.of(listener, implicitListener)) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.warn("closing the listener: {}", e.toString());
            }
        }
        connections.forEach(Connection::stop);
        long deadline = System.nanoTime() + grace.toNanos();
        while (connections.stream().anyMatch(Connection::transferring) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.forEach(Connection::tellAndClose);
        context.watchdog().close();
        context.log().close();
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        metrics.close();
        LOG.info("Ferry stopped");
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
