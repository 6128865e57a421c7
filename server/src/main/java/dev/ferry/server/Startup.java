package dev.ferry.server;

import dev.ferry.server.access.AccessControl;
import dev.ferry.server.address.PassiveAddress;
import dev.ferry.server.auth.LoginSources;
import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.session.Homes;
import dev.ferry.server.session.ServerContext;
import dev.ferry.server.tls.ServerTls;
import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link FtpServer} reads, checks and binds before it serves: the listen address and its
 * socket, anon_root, pasv_address, the metrics address, the files and TLS identity a configuration
 * names ({@link Prepared}, for a start and a reload alike), and the cleanup of interrupted uploads.
 */
final class Startup {

    /** FtpServer's logger: operators and their log filters know these lines under that name. */
    private static final Logger LOG = LoggerFactory.getLogger(FtpServer.class);

    private Startup() {
    }

    /** metrics_listen_address:metrics_listen_port; an address that does not resolve stops the start. */
    static InetSocketAddress metricsAddress(ServerConfig config) throws IOException {
        String address = config.get(CoreDirectives.METRICS_LISTEN_ADDRESS);
        try {
            return new InetSocketAddress(InetAddress.getByName(address), config.get(CoreDirectives.METRICS_LISTEN_PORT));
        } catch (UnknownHostException e) {
            throw new IOException("metrics_listen_address=" + address + " is not an address: " + e.getMessage(), e);
        }
    }

    /**
     * What a configuration needs read or checked before a session may use it; any failure here
     * stops a start and rejects a reload, with the same message.
     */
    record Prepared(StoragePath anonRoot, AccessControl access, Optional<ServerTls> tls,
                            PassiveAddress passiveAddress) {
        static Prepared of(ServerConfig config, Storage storage) throws IOException, StorageException,
                ConfigException {
            guestAccount(config);
            chownUploads(config, storage);
            return new Prepared(Startup.anonRoot(config, storage), AccessControl.load(config, storage),
                    ServerTls.from(config), Startup.passiveAddress(config));
        }
    }

    /** vsftpd's startup check (main.c): guest_enable maps logins to an account that must exist. */
    private static void guestAccount(ServerConfig config) throws ConfigException {
        String account = config.get(CoreDirectives.GUEST_USERNAME);
        if (config.get(CoreDirectives.GUEST_ENABLE) && !LoginSources.isSystemAccount(account)) {
            throw new ConfigException("guest_username=" + account + ": this system has no such account, and "
                    + "guest_enable=YES maps every local login to it (its home, unless local_root is set)");
        }
    }

    /**
     * vsftpd's startup check for chown_uploads (main.c: chown_username must exist), and what Ferry
     * needs besides, since it gives files away itself instead of through a root parent process: a
     * storage with Unix owners, and root or CAP_CHOWN (or chown_username being Ferry's own user).
     */
    private static void chownUploads(ServerConfig config, Storage storage) throws ConfigException {
        if (!config.get(CoreDirectives.CHOWN_UPLOADS)) {
            return;
        }
        String owner = config.get(CoreDirectives.CHOWN_USERNAME);
        if (!storage.capabilities().contains(Capability.POSIX_ATTRIBUTES)) {
            throw new ConfigException("chown_uploads=YES: storage=" + config.get(CoreDirectives.STORAGE)
                    + " has no Unix owners to give uploads to " + owner + "; use the local storage or set chown_uploads=NO");
        }
        if (!LoginSources.isSystemAccount(owner)) {
            throw new ConfigException("chown_username=" + owner + ": this system has no such account (chown_uploads=YES)");
        }
        if (!owner.equals(System.getProperty("user.name")) && !mayChown()) {
            throw new ConfigException("chown_uploads=YES: Ferry runs as " + System.getProperty("user.name")
                    + " without CAP_CHOWN, so it cannot give uploads to " + owner
                    + "; run it as root or grant CAP_CHOWN (systemd: AmbientCapabilities=CAP_CHOWN)");
        }
    }

    /** Whether this process may chown files to others: CAP_CHOWN (bit 0) in /proc/self/status's CapEff. */
    private static boolean mayChown() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (new BigInteger(line.substring("CapEff:".length()).strip(), 16).longValue() & 1) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the first upload shows whether it can
            return true;
        }
        return true;
    }

    /**
     * Removes what interrupted uploads of an earlier run left behind (a crash or kill -9 skips the
     * abort), in the background so a big tree does not delay the first client.
     */
    static void recover(ServerContext context) {
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

    /**
     * The listen queue: a connect flood of thousands of connections a second overflowed 128 (the
     * kernel drops SYNs then, and a real client's connect waits for the 1 s retransmit); the kernel
     * caps it at net.core.somaxconn.
     */
    private static final int BACKLOG = 4096;

    static ServerSocket bind(InetSocketAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    static InetSocketAddress bindAddress(ServerConfig config) throws IOException {
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
            if (servesWorkingDirectory(config)) {
                LOG.warn("anon_root is not set: anonymous users get the working directory {}, so Ferry listens on "
                        + "::1 only. Set anon_root (and listen_address6) to serve other machines.",
                        java.nio.file.Path.of("").toAbsolutePath());
                return new InetSocketAddress(InetAddress.getByName("::1"), port);
            }
            return new InetSocketAddress(InetAddress.getByName("::"), port);
        }
        String address = config.get(CoreDirectives.LISTEN_ADDRESS);
        if (!address.isEmpty()) {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        }
        if (servesWorkingDirectory(config)) {
            LOG.warn("anon_root is not set: anonymous users get the working directory {}, so Ferry listens on "
                    + "127.0.0.1 only. Set anon_root (and listen_address) to serve other machines.",
                    java.nio.file.Path.of("").toAbsolutePath());
            return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        }
        return new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port);
    }

    /**
     * Anonymous logins on with no anon_root: whatever directory Ferry was started in would be
     * published, so without a listen_address Ferry keeps it to this machine (issue: safe defaults).
     */
    static boolean servesWorkingDirectory(ServerConfig config) {
        return config.get(CoreDirectives.ANONYMOUS_ENABLE) && !config.isSet(CoreDirectives.ANON_ROOT);
    }
}
