package dev.ferry.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS state of one FTP session. Its {@link SSLContext} holds nothing but the control TLS
 * sessions of this connection (ssl_reuse_same_user=NO), or of the connections from the same client
 * address (YES, the default; {@link ClientTls}). Data connections come from that context with
 * {@code setEnableSessionCreation(false)}, so a full handshake never gets keys (notes/tls-reuse.md,
 * section 1), and a resumption passes only when the control session it resumes is this one or
 * belongs to the same user ({@link ClientTls#mayServe}). With one context for the whole server, any
 * logged-in client could resume its own session on another user's passive port and receive their file.
 */
public final class SessionTls {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTls.class);

    private static final String TLS13 = "TLSv1.3";
    /**
     * How long a handshake or a fresh TLS 1.3 ticket waits for the context's other session timeout
     * setting to end (data handshakes from the same address; ClientTls#enter).
     */
    private static final int TURN_WAIT_MILLIS = 10_000;
    /** strict_ssl_write_shutdown: how long a download's end waits for the client's close_notify. */
    private static final int CLOSE_NOTIFY_WAIT_MILLIS = 10_000;
    /**
     * How long a control handshake whose ClientHello offers a ticket waits for other connections'
     * fresh tickets to be used up (ClientTls#awaitTicketsSpent): their data connections normally
     * come within milliseconds.
     */
    private static final int TICKET_WAIT_MILLIS = 5_000;

    private final ClientTls shared;
    private final TlsPolicy policy;
    private final Consumer<ClientTls.Registration> leave;
    private SSLSession control;
    private ClientTls.Registration registration;
    private String user;
    private final AtomicBoolean released = new AtomicBoolean();
    /** The TCP connection under each open TLS data connection (how its client ended it). */
    private final Map<Socket, TcpUnderTls> dataConnections = new ConcurrentHashMap<>();

    /** Thrown when a data connection is not a resumption of a session this session may use. */
    public static final class ReuseRequired extends IOException {
        ReuseRequired(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param shared the context this session's connections use; it has joined it already
     * @param leave  called once with this session's registration when the session ends
     */
    SessionTls(ClientTls shared, TlsPolicy policy, Consumer<ClientTls.Registration> leave) {
        this.shared = shared;
        this.policy = policy;
        this.leave = leave;
    }

    /**
     * AUTH TLS or an implicit FTPS connection: the TLS handshake on the control connection. When it
     * fails this object is released and must not be used again.
     */
    public SSLSocket upgradeControl(Socket plain) throws IOException {
        try {
            // the control socket's SO_TIMEOUT (idle_session_timeout) bounds the ClientHello and the handshake
            int timeout = plain.getSoTimeout();
            ClientHello hello = ClientHello.read(plain.getInputStream());
            registration = shared.hello(hello.offersPsk());
            if (hello.offersPsk()) {
                shared.awaitTicketsSpent(TICKET_WAIT_MILLIS);
            }
            // not autoClose: CCC must be able to end TLS and keep the TCP connection (RFC 4217 section 6)
            SSLSocket socket = layer(new TcpUnderTls(plain, false, hello.consumed()), false);
            if (policy.requireCert()) {
                socket.setNeedClientAuth(true);
            } else if (policy.asksForCertificate()) {
                socket.setWantClientAuth(true);
            }
            long started = System.currentTimeMillis();
            shared.enter(ClientTls.Mode.TICKETS, timeout > 0 ? timeout : TURN_WAIT_MILLIS);
            try {
                socket.startHandshake();
            } finally {
                shared.exit();
            }
            control = socket.getSession();
            // a resumed session keeps the creation time of the handshake that negotiated it (notes section 2)
            boolean negotiated = control.getCreationTime() >= started;
            shared.handshaken(registration, control.getCreationTime(), negotiated);
            diagnose("TLS control handshake: {} {}, {} (session created {}), the client offered {}, in {} ms",
                    control.getProtocol(), control.getCipherSuite(), negotiated ? "new session" : "resumed a session",
                    control.getCreationTime(), hello.offersPsk() ? "a ticket" : "no ticket",
                    System.currentTimeMillis() - started);
            if (user != null) {
                shared.loggedIn(registration, user);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            diagnose("TLS control handshake failed: {}", e.toString());
            release();
            throw e;
        }
    }

    /**
     * The session logged in (again): {@code user} names the login, e.g. {@code local:alice}. A data
     * connection of another control connection may resume this session only for the same name.
     */
    public void loggedIn(String user) {
        this.user = user;
        if (registration != null) {
            shared.loggedIn(registration, user);
        }
    }

    /**
     * PROT P: the data connection's handshake, bounded by {@code timeoutMillis} (accept_timeout or
     * connect_timeout). With require_ssl_reuse JSSE refuses a full handshake inside the handshake
     * ("Not resumption, and no new session is allowed"); a resumption then passes only when it
     * descends from this control session or from control sessions of the same user (ClientTls).
     */
    public SSLSocket wrapData(Socket raw, int timeoutMillis) throws IOException {
        if (control == null || released.get()) {
            throw new SSLException("no TLS session on the control connection");
        }
        TcpUnderTls tcp = new TcpUnderTls(raw, policy.checks().strictReadEof());
        SSLSocket socket = layer(tcp, true);
        socket.setEnableSessionCreation(!policy.requireReuse());
        // TLS 1.3: no ticket on data connections, or an uploading client's close resets the upload (notes 4.4)
        ClientTls.Mode mode = TLS13.equals(control.getProtocol()) ? ClientTls.Mode.QUIET : ClientTls.Mode.TICKETS;
        int before = raw.getSoTimeout();
        long started = System.currentTimeMillis();
        try {
            shared.enter(mode, timeoutMillis);
            try {
                raw.setSoTimeout(timeoutMillis);
                socket.startHandshake();
            } finally {
                shared.exit();
                shared.ticketSpent(registration);
            }
            raw.setSoTimeout(before);
        } catch (SSLException e) {
            closeQuietly(socket);
            // a full handshake when reuse is required: "Not resumption, and no new session is allowed"
            diagnose("TLS data handshake failed: {}", e.getMessage());
            if (policy.requireReuse()) {
                throw new ReuseRequired("SSL connection failed: session reuse required", e);
            }
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            diagnose("TLS data handshake failed: {}", e.toString());
            throw e;
        }
        SSLSession data = socket.getSession();
        ClientTls.Verdict verdict = policy.requireReuse()
                ? shared.mayServe(data.getCreationTime(), registration, timeoutMillis)
                : data.getCreationTime() == control.getCreationTime() ? ClientTls.Verdict.OWN : ClientTls.Verdict.UNKNOWN;
        diagnose("TLS data handshake: {} {}, {} in {} ms", data.getProtocol(), data.getCipherSuite(), switch (verdict) {
            case OWN -> "resumed this control connection's session";
            case SAME_USER -> "resumed the session of another control connection of the same user";
            case UNKNOWN -> "a session no control connection of this address negotiated";
            case OTHER_LOGIN -> "resumed the session of a control connection of another login";
        }, System.currentTimeMillis() - started);
        if (policy.requireReuse() && !verdict.accepted()) {
            // resumed a session of another login (or of nobody's) from this address: every kind of
            // resumption keeps the creation time (notes section 2); no application data was sent
            closeQuietly(socket);
            throw new ReuseRequired("SSL connection failed: session reuse required",
                    new SSLException(verdict == ClientTls.Verdict.UNKNOWN
                            ? "the resumed TLS session is no control connection's"
                            : "the resumed TLS session belongs to another login"));
        }
        dataConnections.put(socket, tcp);
        return socket;
    }

    /**
     * Ends a data connection of this session: close_notify, then the close ({@link #close}). With
     * strict_ssl_write_shutdown, as vsftpd does, it first waits (at most 10 s) for the client's
     * close_notify in answer, the proof that the client got all of a download; false when it does
     * not come (the client closed the TCP connection without it, or reset it): the transfer then
     * ends with 426. A data connection whose client already ended its data (an upload) has had its
     * end judged by strict_ssl_read_eof and is not waited for.
     */
    public boolean finishData(Socket data) throws IOException {
        TcpUnderTls tcp = dataConnections.remove(data);
        boolean clean = true;
        try {
            if (tcp != null && policy.checks().strictWriteShutdown() && data instanceof SSLSocket tls
                    && !tls.isClosed() && !tcp.tcpEnded()) {
                tls.shutdownOutput();
                clean = closeNotifyAnswered(tls, tcp);
                if (!clean) {
                    diagnose("TLS data connection: the client did not answer close_notify (strict_ssl_write_shutdown)");
                }
            }
        } finally {
            close(data);
        }
        return clean;
    }

    private static boolean closeNotifyAnswered(SSLSocket tls, TcpUnderTls tcp) {
        InputStream in;
        try {
            in = tls.getInputStream();
        } catch (IOException e) {
            return !tcp.tcpEnded(); // the inbound side was closed already, by the client's close_notify or not
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_NOTIFY_WAIT_MILLIS);
        byte[] ignored = new byte[8192];
        try {
            tls.setSoTimeout(CLOSE_NOTIFY_WAIT_MILLIS);
            while (in.read(ignored) >= 0) {
                if (System.nanoTime() - deadline > 0) {
                    return false; // a client that keeps sending after a download
                }
            }
            return !tcp.tcpEnded();
        } catch (IOException e) {
            return false; // a timeout, a reset, or the TCP end under strict_ssl_read_eof
        }
    }

    /**
     * Writes the reply that offers a data connection. In TLS 1.3 a fresh ticket goes in front of
     * its line end when {@link ClientTls#offerTicket} allows, because OpenSSL clients (curl) use a
     * ticket once: without it their next data connection could not resume (notes section 1, step
     * 4). The client reads the ticket before the CRLF it waits for, so it has it before it connects.
     * The caller holds the reply lock.
     */
    public void offerData(IORunnable head, IORunnable lineEnd) throws IOException {
        if (control == null || released.get() || !TLS13.equals(control.getProtocol())) {
            head.run();
            lineEnd.run();
            return;
        }
        shared.ticketSpent(registration); // a new offer replaces the last one, whose connection never came
        if (!shared.offerTicket(registration, TICKET_WAIT_MILLIS)) {
            diagnose("no TLS 1.3 ticket with the data connection offer: another connection from this client "
                    + "could use it up first");
            head.run();
            lineEnd.run();
            return;
        }
        try {
            shared.enter(ClientTls.Mode.TICKETS, TURN_WAIT_MILLIS);
        } catch (SocketTimeoutException e) {
            shared.ticketSpent(registration);
            head.run(); // the reply matters more than the ticket
            lineEnd.run();
            return;
        }
        try {
            control.removeValue("ferry.ticket"); // makes JSSE send a NewSessionTicket after the next write
            head.run();
        } finally {
            shared.exit();
        }
        lineEnd.run();
        diagnose("TLS 1.3 ticket sent with the data connection offer");
    }

    /**
     * Writes any other reply of code 200 or above: a ticket given with the last data connection
     * offer is spent by now (the transfer ended), or will not be used (the command was refused, or
     * the client does something else first), so other connections' handshakes need not wait for it.
     */
    public void finalReply(IORunnable write) throws IOException {
        shared.ticketSpent(registration);
        write.run();
    }

    /** The FTP session ended: its control session stays known to its address for a while (ClientTls). */
    public void release() {
        if (released.compareAndSet(false, true)) {
            leave.accept(registration);
        }
    }

    /** debug_ssl: TLS diagnostics at INFO; otherwise at DEBUG. */
    private void diagnose(String format, Object... arguments) {
        if (policy.checks().debug()) {
            LOG.info(format, arguments);
        } else {
            LOG.debug(format, arguments);
        }
    }

    /** A write that may fail. */
    @FunctionalInterface
    public interface IORunnable {
        void run() throws IOException;
    }

    public String protocol() {
        return control == null ? "" : control.getProtocol();
    }

    public String cipherSuite() {
        return control == null ? "" : control.getCipherSuite();
    }

    private SSLSocket layer(Socket plain, boolean autoClose) throws IOException {
        // host and port play no part on the server side (notes 4.2)
        SSLSocket socket = (SSLSocket) shared.context().getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), autoClose);
        socket.setUseClientMode(false);
        socket.setEnabledProtocols(policy.protocols().toArray(String[]::new));
        if (!policy.ciphers().isEmpty()) {
            socket.setEnabledCipherSuites(policy.ciphers().toArray(String[]::new));
        }
        return socket;
    }

    /**
     * Closes with close_notify only: in TLS 1.3 a plain close() also sends user_canceled, which
     * Go and GnuTLS clients treat as a fatal error (notes section 1, step 5).
     */
    public static void close(Socket socket) throws IOException {
        if (socket instanceof SSLSocket tls && !tls.isClosed() && !tls.isOutputShutdown()) {
            try {
                tls.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // the peer is gone; close anyway
            }
        }
        socket.close();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
