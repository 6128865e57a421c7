package dev.ferry.server.session;

import dev.ferry.server.access.AccessControl;
import dev.ferry.server.auth.LoginSources;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.log.ActivityLog;
import dev.ferry.server.metrics.Metrics;
import dev.ferry.server.net.Admission;
import dev.ferry.server.net.DataConnector;
import dev.ferry.server.address.PassiveAddress;
import dev.ferry.server.net.PassivePorts;
import dev.ferry.server.net.ProxyProtocol;
import dev.ferry.server.tls.ServerTls;
import dev.ferry.server.transfer.RateLimitWaits;
import dev.ferry.server.transfer.RateLimiter;
import dev.ferry.server.transfer.StallWatchdog;
import dev.ferry.server.transfer.TransferSlots;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StoragePath;
import java.time.Duration;
import java.util.Optional;

/**
 * What every session of one server shares: the configuration, the storage, the users, the
 * passive ports and addresses, the limits, the stall watchdog, the logs and the access control
 * files read at startup. A reload makes a new context for the sessions that follow ({@link
 * #reloaded}); a session keeps its own. Immutable references; the objects are thread-safe.
 *
 * @param uploadLimit   global_max_rate and global_max_upload_rate, shared by every session
 * @param downloadLimit global_max_rate and global_max_download_rate, shared by every session
 * @param tls           FTPS, when ssl_enable is set
 * @param metrics       what the server counts; owned by the FtpServer, which outlives a reload
 * @param logins        the login sources of this configuration, with their own login threads and
 *                      auth_program bound (no process-wide statics: each server and reload has its own)
 */
public record ServerContext(ServerConfig config, Storage storage, UserStore users, StoragePath anonRoot,
                            PassivePorts passivePorts, PassiveAddress passiveAddress, StallWatchdog watchdog,
                            Admission admission, TransferSlots transferSlots, RateLimiter uploadLimit,
                            RateLimiter downloadLimit, DataConnector.Settings dataSettings, ActivityLog log,
                            AccessControl access, Optional<ServerTls> tls, Metrics metrics,
                            LoginSources logins) {

    /** The shared parts as {@code config} sets them; the caller closes the watchdog and the log. */
    public static ServerContext of(ServerConfig config, Storage storage, UserStore users, StoragePath anonRoot,
                                   PassiveAddress passiveAddress, StallWatchdog watchdog, ActivityLog log,
                                   AccessControl access, Optional<ServerTls> tls, Metrics metrics) {
        PassivePorts passivePorts = new PassivePorts(config.get(CoreDirectives.PASV_MIN_PORT),
                config.get(CoreDirectives.PASV_MAX_PORT), config.get(CoreDirectives.PASV_MAX_PER_IP),
                config.get(CoreDirectives.PASV_CLAIM_TIMEOUT));
        Admission admission = new Admission(config.get(CoreDirectives.MAX_CLIENTS),
                config.get(CoreDirectives.MAX_PER_IP), config.get(CoreDirectives.MAX_SESSIONS_PER_USER));
        // one bucket for both directions, shared, plus one per direction
        RateLimitWaits waits = metrics.rateLimitWaits(Metrics.Limit.GLOBAL);
        RateLimiter both = RateLimiter.of(config.get(CoreDirectives.GLOBAL_MAX_RATE), waits);
        RateLimiter upload = RateLimiter.all(both,
                RateLimiter.of(config.get(CoreDirectives.GLOBAL_MAX_UPLOAD_RATE), waits));
        RateLimiter download = RateLimiter.all(both,
                RateLimiter.of(config.get(CoreDirectives.GLOBAL_MAX_DOWNLOAD_RATE), waits));
        return new ServerContext(config, storage, users, anonRoot, passivePorts, passiveAddress, watchdog, admission,
                new TransferSlots(config.get(CoreDirectives.MAX_TRANSFERS)), upload, download, dataSettings(config), log,
                access, tls, metrics, LoginSources.of(config, users));
    }

    /**
     * The context a configuration reload gives new sessions: {@code config} with the users, access
     * files, TLS identity, passive address and log read for it, over what this context shares across
     * sessions. The storage, the stall watchdog, the transfer slots and the global rate limits stay
     * (their directives need a restart); admission and passive ports keep their counts under the new
     * limits, so sessions of the old configuration still count. Every other component is kept as is.
     */
    public ServerContext reloaded(ServerConfig config, UserStore users, StoragePath anonRoot,
                                  PassiveAddress passiveAddress, ActivityLog log, AccessControl access,
                                  Optional<ServerTls> tls) {
        PassivePorts ports = passivePorts.withRange(config.get(CoreDirectives.PASV_MIN_PORT),
                config.get(CoreDirectives.PASV_MAX_PORT), config.get(CoreDirectives.PASV_MAX_PER_IP),
                config.get(CoreDirectives.PASV_CLAIM_TIMEOUT));
        Admission limits = admission.withLimits(config.get(CoreDirectives.MAX_CLIENTS),
                config.get(CoreDirectives.MAX_PER_IP), config.get(CoreDirectives.MAX_SESSIONS_PER_USER));
        return new ServerContext(config, storage, users, anonRoot, ports, passiveAddress, watchdog, limits,
                transferSlots, uploadLimit, downloadLimit, dataSettings(config), log, access, tls, metrics,
                LoginSources.of(config, users));
    }

    private static DataConnector.Settings dataSettings(ServerConfig config) {
        return new DataConnector.Settings(config.get(CoreDirectives.PASV_PROMISCUOUS),
                millis(config.get(CoreDirectives.ACCEPT_TIMEOUT)), millis(config.get(CoreDirectives.CONNECT_TIMEOUT)),
                config.get(CoreDirectives.CONNECT_FROM_PORT_20) ? config.get(CoreDirectives.FTP_DATA_PORT) : 0);
    }

    /** A timeout for a socket: 0 (vsftpd's "never") stays 0, which sockets also read as "never". */
    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    public boolean pasvPromiscuous() {
        return config.get(CoreDirectives.PASV_PROMISCUOUS);
    }

    /** proxy_protocol, pasv_proxy_protocol and proxy_protocol_trusted (parsed when the config was read). */
    public ProxyProtocol proxyProtocol() {
        return new ProxyProtocol(config.get(CoreDirectives.PROXY_PROTOCOL), config.get(CoreDirectives.PASV_PROXY_PROTOCOL),
                config.get(CoreDirectives.PROXY_PROTOCOL_TRUSTED));
    }
}
