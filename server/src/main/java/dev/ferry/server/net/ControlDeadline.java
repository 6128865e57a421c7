package dev.ferry.server.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The deadlines of one control connection, which its socket's read timeout cannot give: SO_TIMEOUT
 * restarts with every byte, so a client sending one byte every few seconds and never a line end
 * (slowloris) held a session for ever (issue 17).
 *
 * <ul>
 *   <li>Line: a command line must be complete within idle_session_timeout of the moment the
 *       session starts waiting for it, as vsftpd's alarm(2) per command does. Not while a transfer
 *       runs: a long transfer is not an idle session.</li>
 *   <li>Login: login_timeout from connect (TLS handshake and PROXY header included) to a login;
 *       armed again by a logout (REIN).</li>
 * </ul>
 *
 * <p>The shared {@link Deadlines} timer acts on an expiry by shutting the socket's input, which
 * wakes the session's blocked read with an end of stream; the session then sees {@link #expired}
 * and sends its 421 from its own thread (the timer never writes, so it never blocks). No thread
 * per connection.
 */
public final class ControlDeadline implements Deadlines.Watched {

    /** Which deadline ended the connection; DISPLACED: a newcomer to a full server took its place (Admission). */
    public enum Reason { LINE, LOGIN, DISPLACED }

    private final Socket socket;
    private final long idleNanos;
    private final long loginNanos;
    private final BooleanSupplier transferring;
    private final AtomicReference<Reason> expired = new AtomicReference<>();
    private volatile long lineDeadline = Deadlines.NEVER;
    private volatile long loginDeadline;

    /**
     * @param idle         idle_session_timeout; zero for no line deadline
     * @param login        login_timeout; zero for no login deadline
     * @param transferring whether a transfer runs now (the line deadline waits for it)
     */
    public ControlDeadline(Socket socket, Duration idle, Duration login, BooleanSupplier transferring) {
        this.socket = socket;
        this.idleNanos = idle.toNanos();
        this.loginNanos = login.toNanos();
        this.transferring = transferring;
        this.loginDeadline = loginNanos > 0 ? System.nanoTime() + loginNanos : Deadlines.NEVER;
        Deadlines.shared().watch(this);
    }

    /** The session starts waiting for a command line. */
    public void awaitingLine() {
        lineDeadline = idleNanos > 0 ? System.nanoTime() + idleNanos : Deadlines.NEVER;
    }

    /** A command line arrived. */
    public void lineRead() {
        lineDeadline = Deadlines.NEVER;
    }

    /** After each command: a login ends the login deadline, a logout starts a new one. */
    public void loggedIn(boolean in) {
        if (in) {
            loginDeadline = Deadlines.NEVER;
        } else if (loginDeadline == Deadlines.NEVER && loginNanos > 0) {
            loginDeadline = System.nanoTime() + loginNanos;
        }
    }

    /** The deadline that passed, once one has: the connection must end. */
    public Optional<Reason> expired() {
        return Optional.ofNullable(expired.get());
    }

    /** How long login_timeout is, for the 421. */
    public Duration loginTimeout() {
        return Duration.ofNanos(loginNanos);
    }

    /** The connection ended: stop watching. */
    public void close() {
        Deadlines.shared().forget(this);
    }

    @Override
    public long deadline() {
        return Math.min(lineDeadline, loginDeadline);
    }

    @Override
    public boolean expire() {
        long now = System.nanoTime();
        Reason reason;
        if (now - loginDeadline >= 0 && loginDeadline != Deadlines.NEVER) {
            reason = Reason.LOGIN;
        } else if (now - lineDeadline >= 0 && lineDeadline != Deadlines.NEVER) {
            if (transferring.getAsBoolean()) {
                lineDeadline = now + idleNanos; // look again one idle period on
                return false;
            }
            reason = Reason.LINE;
        } else {
            return false; // the line arrived (or the login happened) after the timer looked
        }
        cut(reason);
        return true;
    }

    /** Admission gave this connection's place, never logged in, to a newcomer: end it. Does not block. */
    public void displace() {
        cut(Reason.DISPLACED);
    }

    private void cut(Reason reason) {
        if (expired.compareAndSet(null, reason)) {
            try {
                // wakes the blocked read with an end of stream; output stays open for the 421
                socket.shutdownInput();
            } catch (IOException alreadyClosed) {
                // the connection is over anyway
            }
        }
    }
}
