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
 * single use, so they must never reach two connections of a client that shares its session cache.
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
        private final long creationTime;
        /**
         * A full handshake: this connection negotiated the session. A control handshake that resumed
         * a session is not: its client holds that session's keys, so it is the client that negotiated
         * it, and the negotiating connection's login is the one that counts.
         */
        private final boolean negotiated;
        /** The login it carried; null before login. */
        private String owner;
        /** Logged in as two different users (REIN): no other connection may use it. */
        private boolean mixed;
        /** Was given a fresh ticket: its client's latest ticket may be one that is used up. */
        private boolean ticketed;

        private Registration(long creationTime, boolean negotiated) {
            this.creationTime = creationTime;
            this.negotiated = negotiated;
        }
    }

    private final SSLContext context;
    private final TlsIdentity.Loaded material;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turn = lock.newCondition();
    /** Signalled when a control connection logs in or leaves (mayServe waits for it). */
    private final Condition logins = lock.newCondition();
    /** Signalled when the fresh ticket of {@link #offerTicket} is used up. */
    private final Condition spent = lock.newCondition();
    /** The connection whose fresh TLS 1.3 ticket is out, not used yet; null when none is. */
    private Registration ticketHolder;
    private Mode mode = Mode.TICKETS;
    private int inMode;
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
            if (registration != null && live.remove(registration)) {
                closed.addLast(registration);
                if (closed.size() > CLOSED_KEPT) {
                    closed.removeFirst();
                }
            }
            members--;
            logins.signalAll();
            if (registration != null && ticketHolder == registration) {
                ticketHolder = null;
                spent.signalAll();
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

    Registration register(long creationTime, boolean negotiated) {
        lock.lock();
        try {
            Registration registration = new Registration(creationTime, negotiated);
            live.add(registration);
            return registration;
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMillis));
        lock.lock();
        try {
            while (true) {
                List<Registration> all = new ArrayList<>(live);
                all.addAll(closed);
                boolean any = false;
                boolean pending = false;
                Verdict verdict = null;
                for (Registration candidate : all) {
                    if (candidate.creationTime != creationTime || (!candidate.negotiated && candidate != own)) {
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
     * When it may, it holds that ticket until {@link #ticketSpent}.
     *
     * <p>JSSE's post-handshake tickets are stateful and single use, and a client with one session
     * cache for all its connections (Go's crypto/tls in rclone: the latest ticket wins) offers the
     * same ticket on every new connection. So the ticket goes only to a client whose connection is
     * the only one from its address that could be the same user's (others logged in as another
     * user do not count), never to one seen sharing sessions, and while it is out no other control
     * handshake from this address starts ({@link #awaitTicketSpent}): only the data connection it
     * was given for can use it up. Without that rule rclone's second connection, opened right after
     * the first got a ticket, used it up and the first one's data connection was refused.
     */
    boolean offerTicket(Registration own, long waitMillis) throws InterruptedIOException {
        lock.lock();
        try {
            if (own != null && own.ticketed) {
                awaitLogins(own, waitMillis);
            }
            if (own == null || own.owner == null || sharing.contains(own.owner)
                    || (ticketHolder != null && ticketHolder != own)) {
                return false;
            }
            List<Registration> all = new ArrayList<>(live);
            all.addAll(closed);
            for (Registration other : all) {
                if (other != own && other.creationTime == own.creationTime) {
                    return false; // one connection resumed the other's session: one cache for both
                }
            }
            int otherUsers = 0;
            for (Registration other : live) {
                if (other != own && other.owner != null && !other.owner.equals(own.owner) && !other.mixed) {
                    otherUsers++;
                }
            }
            if (members - 1 - otherUsers > 0) {
                return false;
            }
            ticketHolder = own;
            own.ticketed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A client given fresh tickets may still hold a used-up one as its latest: until a new
     * connection of it has a ticket of its own handshake (Go takes it in when it reads the reply to
     * USER, so by the login at the latest), its next data connection would offer the used one and be
     * refused. So its data connection offer waits, at most {@code waitMillis}, while another
     * connection from this address has not logged in.
     */
    private void awaitLogins(Registration own, long waitMillis) throws InterruptedIOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            while (true) {
                int loggedIn = 0;
                for (Registration other : live) {
                    if (other.owner != null) {
                        loggedIn++;
                    }
                }
                boolean pending = members > loggedIn; // joined (handshaking or logging in), not logged in yet
                long left = deadline - System.nanoTime();
                if (!pending || left <= 0) {
                    return;
                }
                logins.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("TLS: interrupted while waiting for another connection's login");
        }
    }

    /** {@code own}'s ticket is used up, or will not be used: its data handshake ran, or its transfer or session ended. */
    void ticketSpent(Registration own) {
        lock.lock();
        try {
            if (own != null && ticketHolder == own) {
                ticketHolder = null;
                spent.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before a control handshake: waits (at most {@code timeoutMillis}, normally the few
     * milliseconds between a 227 and its data connection's handshake) while another connection's
     * fresh ticket is out, so that this handshake cannot use it up first.
     */
    void awaitTicketSpent(long timeoutMillis) throws InterruptedIOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (ticketHolder != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return; // its data connection never came: the handshake goes on
                }
                spent.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("TLS: interrupted while waiting for another connection's data handshake");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (at most {@code timeoutMillis}) until the context's session timeout can be the one
     * {@code wanted} needs, and holds it there until {@link #exit}.
     */
    void enter(Mode wanted, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        lock.lock();
        try {
            while (inMode > 0 && mode != wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("TLS: another connection from this address kept the handshake waiting");
                }
                turn.awaitNanos(left);
            }
            if (inMode == 0 && mode != wanted) {
                mode = wanted;
                context.getServerSessionContext()
                        .setSessionTimeout(wanted == Mode.QUIET ? QUIET_TIMEOUT : SESSION_TIMEOUT);
            }
            inMode++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("TLS: interrupted while waiting for the handshake");
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            inMode--;
            if (inMode == 0) {
                turn.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
