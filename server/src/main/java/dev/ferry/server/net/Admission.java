package dev.ferry.server.net;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may connect and log in: max_clients and max_per_ip for connections, checked in the session's
 * own thread right after accept so a refused client reads vsftpd's 421 line at once instead of
 * waiting in the backlog; and Ferry's max_sessions_per_user at login. Every grant is a
 * {@link Permit} that its holder closes on every exit path.
 */
public final class Admission {

    /** A refusal; the message is the text of the reply, the reason the directive that refused (for metrics). */
    public static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** max_clients, max_per_ip or max_sessions_per_user. */
        public String reason() {
            return reason;
        }
    }

    /** One place taken; {@link #close} gives it back, once however often it is called. */
    public static final class Permit implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final Runnable release;

        private Permit(Runnable release) {
            this.release = release;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release.run();
            }
        }
    }

    // vsftpd's texts (standalone.c), which scripts and monitoring already match
    static final String TOO_MANY_CLIENTS = "There are too many connected users, please try later.";
    static final String TOO_MANY_FROM_ADDRESS = "There are too many connections from your internet address.";

    private final int maxClients;
    private final int maxPerIp;
    private final int maxPerUser;
    private final AtomicInteger clients;
    private final Tally<InetAddress> perAddress;
    private final Tally<String> perUser;

    /** Each limit 0 means none. */
    public Admission(int maxClients, int maxPerIp, int maxPerUser) {
        this(maxClients, maxPerIp, maxPerUser, new AtomicInteger(), new Tally<>(), new Tally<>());
    }

    private Admission(int maxClients, int maxPerIp, int maxPerUser, AtomicInteger clients,
                      Tally<InetAddress> perAddress, Tally<String> perUser) {
        this.maxClients = maxClients;
        this.maxPerIp = maxPerIp;
        this.maxPerUser = maxPerUser;
        this.clients = clients;
        this.perAddress = perAddress;
        this.perUser = perUser;
    }

    /**
     * New limits over the same counts (a configuration reload): sessions admitted before still
     * count against max_clients, max_per_ip and max_sessions_per_user, and give their place back here.
     */
    public Admission withLimits(int maxClients, int maxPerIp, int maxPerUser) {
        return new Admission(maxClients, maxPerIp, maxPerUser, clients, perAddress, perUser);
    }

    /** A new connection from {@code client}; vsftpd checks max_clients first, then max_per_ip. */
    public Permit connect(InetAddress client) throws Refused {
        InetAddress key = PassiveAddress.unmapped(client);
        if (clients.incrementAndGet() > maxClients && maxClients > 0) {
            clients.decrementAndGet();
            throw new Refused("max_clients", TOO_MANY_CLIENTS);
        }
        if (!perAddress.tryAcquire(key, maxPerIp)) {
            clients.decrementAndGet();
            throw new Refused("max_per_ip", TOO_MANY_FROM_ADDRESS);
        }
        return new Permit(() -> {
            perAddress.release(key);
            clients.decrementAndGet();
        });
    }

    /** A login as {@code user}: refused while max_sessions_per_user sessions are logged in as them. */
    public Permit login(String user) throws Refused {
        if (!perUser.tryAcquire(user, maxPerUser)) {
            throw new Refused("max_sessions_per_user", "Login refused: too many sessions for this user, please try later.");
        }
        return new Permit(() -> perUser.release(user));
    }

    /** Clients connected now. */
    public int clients() {
        return clients.get();
    }
}
