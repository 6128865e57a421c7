package dev.ferry.server.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared {@link ClientTls} of each client address that has a control connection with TLS
 * (ssl_reuse_same_user=YES). A context lives while a control connection from its address does; a
 * certificate reload starts a new one for the connections that come after it.
 */
final class ClientTlsRegistry {

    private final TlsIdentity identity;
    private final TlsPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, ClientTls> byAddress = new HashMap<>();

    ClientTlsRegistry(TlsIdentity identity, TlsPolicy policy) {
        this.identity = identity;
        this.policy = policy;
    }

    /** The context a new control connection from {@code client} joins (it calls {@link #leave} at its end). */
    ClientTls join(InetAddress client) throws GeneralSecurityException {
        lock.lock();
        try {
            ClientTls shared = byAddress.get(client);
            if (shared == null || !shared.current(identity) || !shared.join()) {
                shared = new ClientTls(identity, policy);
                shared.join();
                byAddress.put(client, shared);
            }
            return shared;
        } finally {
            lock.unlock();
        }
    }

    void leave(InetAddress client, ClientTls shared, ClientTls.Registration registration) {
        lock.lock();
        try {
            if (shared.leave(registration)) {
                byAddress.remove(client, shared);
            }
        } finally {
            lock.unlock();
        }
    }
}
