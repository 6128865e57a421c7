package dev.ferry.server.tls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS context that the control connections of one client address share (or of one control
 * connection alone with ssl_reuse_same_user=NO), and which of them negotiated which TLS session
 * for which user.
 *
 * <p>Why shared: rclone (Go crypto/tls) keeps one session cache for all its control connections, so
 * the data connection of control connection B offers a session that A negotiated. Resumption only
 * works inside one {@link SSLContext} (notes/tls-reuse.md 4.2), so A and B need the same context.
 * JSSE cannot say which control session a resumed data session descends from except through the
 * creation time, which every kind of resumption keeps (notes section 2); this class keeps, per
 * control session, that time and the user it logged in as, and the data connection is accepted only
 * when <em>every</em> control session with that creation time belongs to the same user. Two logins
 * of different users whose handshakes end in the same millisecond therefore refuse each other's data
 * connections rather than risk one taking over the other's.
 *
 * <p>The session timeout is the context's, and it has two settings (notes section 1, steps 3 and 4):
 * 86400 s while a control handshake runs or a fresh TLS 1.3 ticket is written, and 604801 s (no
 * ticket) while a TLS 1.3 data handshake runs. It is JSSE's only switch for tickets, and it is per
 * context, so connections sharing the context take turns through {@link #enter}: any number in one
 * setting at a time.
 *
 * <p>It also decides who may get a fresh TLS 1.3 ticket ({@link #offerTicket}): JSSE makes those
 * single use, so they must never reach two connections of a client that shares its session cache,
 * and a connection that has had them must go on getting them (its client's latest ticket is a used
 * one otherwise). What tells the two kinds of client apart is the ClientHello of each new control
 * connection ({@link ClientHello}): Go's (rclone) offers the ticket its other connections received,
 * lftp's, curl's and Python's offer none.
 *
 * <p>Taking turns is fair: while a handshake waits for the other setting, no new one joins the
 * current setting, so a neighbour's stream of data handshakes cannot keep control handshakes out.
 */
final class ClientTls {

    /** Above TLS 1.3's 7-day ticket cap (RFC 8446 section 4.6.1): JSSE then sends no NewSessionTicket. */
    static final int QUIET_TIMEOUT = 604_800 + 1;
    /** Ticket and TLS 1.2 session-id lifetime: longer than any FTP session. */
    static final int SESSION_TIMEOUT = 86_400;
    /** The TLS 1.2 session id and the fresh (stateful) TLS 1.3 tickets, per control connection. */
    private static final int CACHE_PER_CONNECTION = 16;
    /** Control sessions remembered after their connection closed (a client may still offer them). */
    private static final int CLOSED_KEPT = 64;

    /** Which session timeout a handshake or write needs. */
    enum Mode { TICKETS, QUIET }

    /** One control connection's TLS session: its creation time and who logged in on it. */
    static final class Registration {
        /** The ClientHello offered a TLS 1.3 pre-shared key: its client keeps tickets across connections. */
        private final boolean offeredPsk;
        /** When the ClientHello came, in this context's order of events. */
        private final long helloAt;
        /** Set when the handshake ends; -1 before (such a registration matches no data session). */
        private long creationTime = -1;
        /**
         * A full handshake: this connection negotiated the session. A control handshake that resumed
         * a session is not: its client holds that session's keys, so it is the client that negotiated
         * it, and the negotiating connection's login is the one that counts.
         */
        private boolean negotiated;
        /** When it first logged in, in this context's order of events; MAX_VALUE before. */
        private long loggedInAt = Long.MAX_VALUE;
        /** The login it carried; null before login. */
        private String owner;
        /** Logged in as two different users (REIN): no other connection may use it. */
        private boolean mixed;
        /** Was given a fresh ticket: its client's latest ticket may be one that is used up. */
        private boolean ticketed;
        /** Its fresh ticket is out and not used yet. */
        private boolean ticketOut;

        private Registration(boolean offeredPsk, long helloAt) {
            this.offeredPsk = offeredPsk;
            this.helloAt = helloAt;
        }
    }

    private final SSLContext context;
    private final TlsIdentity.Loaded material;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turn = lock.newCondition();
    /** Signalled when a control connection logs in or leaves (mayServe waits for it). */
    private final Condition logins = lock.newCondition();
    /** Signalled when a fresh ticket of {@link #offerTicket} is used up. */
    private final Condition spent = lock.newCondition();
    /** Whose turn it is (or will be, once the current one ends), and the setting the context has. */
    private Mode mode = Mode.TICKETS;
    private Mode applied = Mode.TICKETS;
    private int inMode;
    private final int[] waiting = new int[Mode.values().length];
    /** Orders ClientHellos and logins. */
    private long events;
    private int members;
    private final List<Registration> live = new ArrayList<>();
    private final Deque<Registration> closed = new ArrayDeque<>();
    /** Users whose client was seen resuming one connection's session on another (rclone). */
    private final Set<String> sharing = new HashSet<>();

    ClientTls(TlsIdentity identity, TlsPolicy policy) throws GeneralSecurityException {
        this.material = identity.material();
        this.context = SSLContext.getInstance("TLS");
        TrustManager[] trust = policy.validateCert() ? material.trustManagers() : AnyClientCertificate.MANAGERS;
        context.init(material.keyManagers(), trust, identity.random());
        SSLSessionContext sessions = context.getServerSessionContext();
        sessions.setSessionTimeout(SESSION_TIMEOUT);
        sessions.setSessionCacheSize(CACHE_PER_CONNECTION);
    }

    SSLContext context() {
        return context;
    }

    /** Whether this context still has the server's current certificate (TlsIdentity reloads it). */
    boolean current(TlsIdentity identity) {
        return identity.material() == material;
    }

    /** A control connection joins; false when the last one left already (the context is dropped). */
    boolean join() {
        lock.lock();
        try {
            if (members < 0) {
                return false;
            }
            members++;
            context.getServerSessionContext().setSessionCacheSize(CACHE_PER_CONNECTION * members);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A control connection left; true when it was the last one. */
    boolean leave(Registration registration) {
        lock.lock();
        try {
            if (registration != null && live.remove(registration) && registration.creationTime >= 0) {
                closed.addLast(registration);
                if (closed.size() > CLOSED_KEPT) {
                    closed.removeFirst();
                }
            }
            members--;
            logins.signalAll();
            if (registration != null) {
                spend(registration);
            }
            if (members == 0) {
                members = -1;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** A control connection's ClientHello arrived; its handshake comes next ({@link #handshaken}). */
    Registration hello(boolean offeredPsk) {
        lock.lock();
        try {
            Registration registration = new Registration(offeredPsk, ++events);
            live.add(registration);
            return registration;
        } finally {
            lock.unlock();
        }
    }

    void handshaken(Registration registration, long creationTime, boolean negotiated) {
        lock.lock();
        try {
            registration.creationTime = creationTime;
            registration.negotiated = negotiated;
        } finally {
            lock.unlock();
        }
    }

    void loggedIn(Registration registration, String user) {
        lock.lock();
        try {
            if (registration.owner != null && !registration.owner.equals(user)) {
                registration.mixed = true;
            }
            registration.owner = user;
            if (registration.loggedInAt == Long.MAX_VALUE) {
                registration.loggedInAt = ++events;
            }
            logins.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whose control session a data connection resumed. */
    enum Verdict {
        /** its own control connection's */
        OWN,
        /** another control connection's, logged in as the same user (ssl_reuse_same_user) */
        SAME_USER,
        /** a session no live or recent control connection of this address negotiated */
        UNKNOWN,
        /** a session negotiated by a connection logged in as another user, or not logged in */
        OTHER_LOGIN;

        boolean accepted() {
            return this == OWN || this == SAME_USER;
        }
    }

    /**
     * Whether a data session created at {@code creationTime} may serve {@code own}'s transfer: it
     * descends from {@code own}'s control session, or from control sessions that all logged in as
     * {@code own}'s user and nobody else. A control connection that negotiated that session but has
     * not logged in yet (rclone's new connection, whose ticket its other connections offer at once)
     * is waited for, at most {@code waitMillis}: its login decides.
     */
    Verdict mayServe(long creationTime, Registration own, long waitMillis) throws InterruptedIOException {
        long deadline = deadlineIn(waitMillis);
        lock.lock();
        try {
            while (true) {
                List<Registration> all = new ArrayList<>(live);
                all.addAll(closed);
                boolean any = false;
                boolean pending = false;
                Verdict verdict = null;
                for (Registration candidate : all) {
                    if (candidate.creationTime < 0 || candidate.creationTime != creationTime
                            || (!candidate.negotiated && candidate != own)) {
                        continue;
                    }
                    any = true;
                    if (candidate == own) {
                        continue;
                    }
                    if (candidate.owner == null && live.contains(candidate)) {
                        pending = true;
                    } else if (candidate.mixed || candidate.owner == null || !candidate.owner.equals(own.owner)) {
                        verdict = Verdict.OTHER_LOGIN;
                    }
                }
                if (verdict == null && !any) {
                    verdict = Verdict.UNKNOWN;
                }
                long left = deadline - System.nanoTime();
                if (verdict == null && pending && left > 0) {
                    logins.awaitNanos(left);
                    continue;
                }
                if (verdict == null) {
                    verdict = pending ? Verdict.OTHER_LOGIN : own.creationTime == creationTime ? Verdict.OWN : Verdict.SAME_USER;
                }
                if (verdict == Verdict.SAME_USER && own.owner != null) {
                    sharing.add(own.owner); // another connection's session: this client shares its cache
                }
                return verdict;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("TLS: interrupted while a data connection waited for a login");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code own} may be given a fresh TLS 1.3 ticket with the reply that offers its next
     * data connection (notes section 1, step 4: OpenSSL clients such as curl resume a ticket once).
     * When it may, the ticket is out until {@link #ticketSpent}.
     *
     * <p>JSSE's post-handshake tickets are stateful and single use, and a client with one session
     * cache for all its connections (Go's crypto/tls in rclone: the latest ticket wins) offers the
     * same ticket on every new connection. So the ticket goes to {@code own} only when no other
     * connection from this address could be of a client that would use it up first: none that
     * logged in as another user counts; one whose ClientHello offered a ticket can (a shared cache:
     * rclone's second connection), so can any other when {@code own}'s ClientHello offered one (its
     * client's first connection, dialled while the cache was empty, takes the latest ticket of that
     * cache for its next data connection), and so can one dialled together with {@code own}, while its
     * client's cache was still empty ({@link #dialledTogether}). One that offered none although a
     * ticket was to be had keeps tickets per connection or is another client (lftp's parallel
     * connections, a curl beside an idle FileZilla): it cannot use up {@code own}'s. Never to a user
     * seen sharing sessions, nor when one connection resumed another's session. A later control
     * handshake that offers a ticket waits while any is out ({@link #awaitTicketsSpent}), so that
     * only the data connection it was given for can use it.
     *
     * <p>A connection refused a ticket after having had some waits first ({@link #awaitLogins}): its
     * client's latest ticket is then the used one, until another connection's handshake gives it one.
     */
    boolean offerTicket(Registration own, long waitMillis) throws InterruptedIOException {
        lock.lock();
        try {
            if (own == null) {
                return false;
            }
            boolean may = mayGetTicket(own);
            if (!may && own.ticketed) {
                awaitLogins(waitMillis);
                return false;
            }
            if (may) {
                own.ticketed = true;
                own.ticketOut = true;
            }
            return may;
        } finally {
            lock.unlock();
        }
    }

    private boolean mayGetTicket(Registration own) {
        if (own.owner == null || own.creationTime < 0 || sharing.contains(own.owner) || own.ticketOut) {
            return false;
        }
        List<Registration> all = new ArrayList<>(live);
        all.addAll(closed);
        for (Registration other : all) {
            if (other != own && other.creationTime == own.creationTime) {
                return false; // one connection resumed the other's session: one cache for both
            }
        }
        for (Registration other : live) {
            boolean anotherUser = other.owner != null && !other.mixed && !other.owner.equals(own.owner);
            if (other == own || anotherUser) {
                continue;
            }
            // own's offer shows a shared cache too: its ticket would reach the other connections,
            // among them its client's first, which had nothing to offer when it was dialled
            if (own.offeredPsk || other.offeredPsk || dialledTogether(own, other)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A client given fresh tickets may still hold a used-up one as its latest: until a new
     * connection of it has a ticket of its own handshake (Go takes it in when it reads the reply to
     * USER, so by the login at the latest), its next data connection would offer the used one and be
     * refused. So its data connection offer waits, at most {@code waitMillis}, while another
     * connection from this address has not logged in.
     */
    private void awaitLogins(long waitMillis) throws InterruptedIOException {
        // until every connection that joined (handshaking or logging in) has logged in
        await(logins, () -> members <= live.stream().filter(other -> other.owner != null).count(),
                deadlineIn(waitMillis), "another connection's login");
    }

    /**
     * Neither had logged in when the other's ClientHello came: one client may have dialled both while
     * its cache was still empty, so that neither offered a ticket. When one had logged in before the
     * other's ClientHello, a client sharing its cache would have offered that one's ticket.
     */
    private static boolean dialledTogether(Registration own, Registration other) {
        return other.helloAt < own.loggedInAt && own.helloAt < other.loggedInAt;
    }

    /** {@code own}'s ticket is used up, or will not be used: its data handshake ran, or its transfer or session ended. */
    void ticketSpent(Registration own) {
        lock.lock();
        try {
            if (own != null) {
                spend(own);
            }
        } finally {
            lock.unlock();
        }
    }

    private void spend(Registration own) {
        if (own.ticketOut) {
            own.ticketOut = false;
            spent.signalAll();
        }
    }

    /**
     * Before a control handshake whose ClientHello offers a ticket: waits (at most {@code
     * timeoutMillis}, normally the few milliseconds between a 227 and its data connection's
     * handshake) while a fresh ticket is out, which this handshake could otherwise use up first.
     */
    void awaitTicketsSpent(long timeoutMillis) throws InterruptedIOException {
        lock.lock();
        try {
            // on time-out its data connection never came: the handshake goes on
            await(spent, () -> live.stream().noneMatch(other -> other.ticketOut), deadlineIn(timeoutMillis),
                    "another connection's data handshake");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (at most {@code timeoutMillis}) until the context's session timeout can be the one
     * {@code wanted} needs, and holds it there until {@link #exit}. While anyone waits for the other
     * setting, nobody new joins the current one: the turn passes when the current ones are done.
     */
    void enter(Mode wanted, long timeoutMillis) throws IOException {
        long deadline = deadlineIn(Math.max(1, timeoutMillis));
        lock.lock();
        waiting[wanted.ordinal()]++;
        try {
            if (!await(turn, () -> mayEnter(wanted), deadline, "the handshake")) {
                throw new SocketTimeoutException("TLS: another connection from this address kept the handshake waiting");
            }
            mode = wanted;
            if (applied != wanted) {
                applied = wanted;
                context.getServerSessionContext()
                        .setSessionTimeout(wanted == Mode.QUIET ? QUIET_TIMEOUT : SESSION_TIMEOUT);
            }
            inMode++;
        } finally {
            waiting[wanted.ordinal()]--;
            turn.signalAll(); // a waiter that gave up may have been what kept others out
            lock.unlock();
        }
    }

    private static long deadlineIn(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }

    /** With the lock held: waits on {@code condition} until {@code done} or {@code deadline}; whether done. */
    private static boolean await(Condition condition, BooleanSupplier done, long deadline, String what)
            throws InterruptedIOException {
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                condition.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("TLS: interrupted while waiting for " + what);
        }
    }

    private boolean mayEnter(Mode wanted) {
        Mode other = wanted == Mode.QUIET ? Mode.TICKETS : Mode.QUIET;
        if (inMode > 0) {
            return mode == wanted && waiting[other.ordinal()] == 0;
        }
        // nobody inside: the turn is ours unless it was passed to those waiting for the other setting
        return mode == wanted || waiting[mode.ordinal()] == 0;
    }

    void exit() {
        lock.lock();
        try {
            inMode--;
            if (inMode == 0) {
                Mode other = mode == Mode.QUIET ? Mode.TICKETS : Mode.QUIET;
                if (waiting[other.ordinal()] > 0) {
                    mode = other; // pass the turn
                }
                turn.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}

