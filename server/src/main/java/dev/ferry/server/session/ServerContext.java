package dev.ferry.server.session;

import dev.ferry.server.access.AccessControl;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.net.PassivePorts;
import dev.ferry.server.transfer.StallWatchdog;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StoragePath;

/**
 * What every session of one server shares: the configuration, the storage, the users, the
 * passive ports, the stall watchdog and the access control files read at startup. Immutable references; the objects are thread-safe.
 */
public record ServerContext(ServerConfig config, Storage storage, UserStore users, StoragePath anonRoot,
                            PassivePorts passivePorts, StallWatchdog watchdog, AccessControl access) {

    public boolean pasvPromiscuous() {
        return config.get(CoreDirectives.PASV_PROMISCUOUS);
    }

    /** How long to wait for a data connection: vsftpd's accept_timeout and connect_timeout default. */
    public int connectTimeoutMillis() {
        return 60_000;
    }
}
