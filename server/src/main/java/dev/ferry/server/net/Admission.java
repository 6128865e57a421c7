package dev.ferry.server.net;

import dev.ferry.server.address.PassiveAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may connect and log in: max_clients and max_per_ip for connections, checked in the session's
 * own thread right after accept so a refused client reads vsftpd's 421 line at once instead of
 * waiting in the backlog; and Ferry's max_sessions_per_user at login. Every grant is a
 * {@link Permit} that its holder closes on every exit path.
 *
 * <p>Displacement (issue 17): 2,000 slowloris connections from 40 addresses filled max_clients and
 * every real client read 421. Deadlines now cut such connections, but an attacker reconnects. So
 * when max_clients is reached, a new connection displaces the connection that has been waiting
 * longest without ever logging in, if it has waited at least {@link #DISPLACE_AFTER}; the displaced
 * one reads 421. Logged-in sessions are never displaced, and a real client logs in well within that
 * time, so only connections that hold a place without using it lose it. Without such a connection,
 * the new one is refused as before.
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
        /** For connection permits: the order they came in, and how to make them leave. */
        private final long since = System.nanoTime();
        private final long sequence;
        private final Runnable displace;
        private final ConcurrentSkipListSet<Permit> pending;

        private Permit(Runnable release) {
            this(release, 0, null, null);
        }

        private Permit(Runnable release, long sequence, Runnable displace, ConcurrentSkipListSet<Permit> pending) {
            this.release = release;
            this.sequence = sequence;
            this.displace = displace;
            this.pending = pending;
        }

        /** The connection logged in: it can no longer be displaced. */
        public void loggedIn() {
            if (pending != null) {
                pending.remove(this);
            }
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                loggedIn(); // out of the displaceable set
                release.run();
            }
        }
    }

    /** How long a connection may hold a place without logging in before a newcomer to a full server takes it. */
    public static final Duration DISPLACE_AFTER = Duration.ofSeconds(1);

    private static final Comparator<Permit> OLDEST_FIRST = Comparator.<Permit>comparingLong(p -> p.since)
            .thenComparingLong(p -> p.sequence);

    // vsftpd's texts (standalone.c), which scripts and monitoring already match
    static final String TOO_MANY_CLIENTS = "There are too many connected users, please try later.";
    static final String TOO_MANY_FROM_ADDRESS = "There are too many connections from your internet address.";

    private final int maxClients;
    private final int maxPerIp;
    private final int maxPerUser;
    private final AtomicInteger clients;
    private final Tally<InetAddress> perAddress;
    private final Tally<String> perUser;
    /** Connections that have not logged in yet, oldest first: whom a newcomer to a full server may displace. */
    private final ConcurrentSkipListSet<Permit> pending;
    private final AtomicLong sequence;

    /** Each limit 0 means none. */
    public Admission(int maxClients, int maxPerIp, int maxPerUser) {
        this(maxClients, maxPerIp, maxPerUser, new AtomicInteger(), new Tally<>(), new Tally<>(),
                new ConcurrentSkipListSet<>(OLDEST_FIRST), new AtomicLong());
    }

    private Admission(int maxClients, int maxPerIp, int maxPerUser, AtomicInteger clients,
                      Tally<InetAddress> perAddress, Tally<String> perUser, ConcurrentSkipListSet<Permit> pending,
                      AtomicLong sequence) {
        this.maxClients = maxClients;
        this.maxPerIp = maxPerIp;
        this.maxPerUser = maxPerUser;
        this.clients = clients;
        this.perAddress = perAddress;
        this.perUser = perUser;
        this.pending = pending;
        this.sequence = sequence;
    }

    /**
     * New limits over the same counts (a configuration reload): sessions admitted before still
     * count against max_clients, max_per_ip and max_sessions_per_user, and give their place back here.
     */
    public Admission withLimits(int maxClients, int maxPerIp, int maxPerUser) {
        return new Admission(maxClients, maxPerIp, maxPerUser, clients, perAddress, perUser, pending, sequence);
    }

    /** A new connection from {@code client}; vsftpd checks max_clients first, then max_per_ip. */
    public Permit connect(InetAddress client) throws Refused {
        return connect(client, null);
    }

    /**
     * A new connection from {@code client} that {@code displace} can end (it must not block) if it
     * has not logged in ({@link Permit#loggedIn}) when a later connection finds the server full.
     */
    public Permit connect(InetAddress client, Runnable displace) throws Refused {
        InetAddress key = PassiveAddress.unmapped(client);
        if (clients.incrementAndGet() > maxClients && maxClients > 0) {
            if (!displaceOne()) {
                clients.decrementAndGet();
                throw new Refused("max_clients", TOO_MANY_CLIENTS);
            }
            // the displaced connection gives its place back as soon as its thread has said 421:
            // until then the count is one over, which is how long max_clients is exceeded
        }
        if (!perAddress.tryAcquire(key, maxPerIp)) {
            clients.decrementAndGet();
            throw new Refused("max_per_ip", TOO_MANY_FROM_ADDRESS);
        }
        Permit permit = new Permit(() -> {
            perAddress.release(key);
            clients.decrementAndGet();
        }, sequence.incrementAndGet(), displace, displace == null ? null : pending);
        if (displace != null) {
            pending.add(permit);
        }
        return permit;
    }

    /** Displaces the connection waiting longest without a login, if it has waited {@link #DISPLACE_AFTER}. */
    private boolean displaceOne() {
        long now = System.nanoTime();
        for (Iterator<Permit> oldest = pending.iterator(); oldest.hasNext(); ) {
            Permit candidate = oldest.next();
            if (now - candidate.since < DISPLACE_AFTER.toNanos()) {
                return false; // the rest are younger still
            }
            if (pending.remove(candidate)) { // taken by this caller, not by a concurrent one
                candidate.displace.run();
                return true;
            }
        }
        return false;
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
