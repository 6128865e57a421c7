package dev.ferry.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

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

    private static final String TLS13 = "TLSv1.3";
    /** How long a TLS 1.3 ticket refresh waits for data handshakes of the same address to finish. */
    private static final int REFRESH_WAIT_MILLIS = 10_000;

    private final ClientTls shared;
    private final TlsPolicy policy;
    private final Consumer<ClientTls.Registration> leave;
    private SSLSession control;
    private ClientTls.Registration registration;
    private String user;
    private final AtomicBoolean released = new AtomicBoolean();

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
            // not autoClose: CCC must be able to end TLS and keep the TCP connection (RFC 4217 section 6)
            SSLSocket socket = layer(plain, false);
            if (policy.requireCert()) {
                socket.setNeedClientAuth(true);
            } else if (policy.asksForCertificate()) {
                socket.setWantClientAuth(true);
            }
            // the control socket's SO_TIMEOUT (idle_session_timeout) bounds the handshake
            int timeout = plain.getSoTimeout();
            long started = System.currentTimeMillis();
            shared.enter(ClientTls.Mode.TICKETS, timeout > 0 ? timeout : REFRESH_WAIT_MILLIS);
            try {
                socket.startHandshake();
            } finally {
                shared.exit();
            }
            control = socket.getSession();
            // a resumed session keeps the creation time of the handshake that negotiated it (notes section 2)
            registration = shared.register(control.getCreationTime(), control.getCreationTime() >= started);
            if (user != null) {
                shared.loggedIn(registration, user);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
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
        SSLSocket socket = layer(raw, true);
        socket.setEnableSessionCreation(!policy.requireReuse());
        // TLS 1.3: no ticket on data connections, or an uploading client's close resets the upload (notes 4.4)
        ClientTls.Mode mode = TLS13.equals(control.getProtocol()) ? ClientTls.Mode.QUIET : ClientTls.Mode.TICKETS;
        int before = raw.getSoTimeout();
        try {
            shared.enter(mode, timeoutMillis);
            try {
                raw.setSoTimeout(timeoutMillis);
                socket.startHandshake();
            } finally {
                shared.exit();
            }
            raw.setSoTimeout(before);
        } catch (SSLException e) {
            closeQuietly(socket);
            if (policy.requireReuse()) {
                throw new ReuseRequired("SSL connection failed: session reuse required", e);
            }
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
        if (policy.requireReuse() && !shared.mayServe(socket.getSession().getCreationTime(), registration)) {
            // resumed a session of another login (or of nobody's) from this address: every kind of
            // resumption keeps the creation time (notes section 2); no application data was sent
            closeQuietly(socket);
            throw new ReuseRequired("SSL connection failed: session reuse required",
                    new SSLException("the resumed TLS session belongs to another login"));
        }
        return socket;
    }

    /**
     * Writes the reply that ends a transfer. In TLS 1.3 it is followed by a fresh ticket on the
     * control connection, because OpenSSL clients (curl) use a ticket once: without it their next
     * data connection could not resume (notes section 1, step 4). The caller holds the reply lock.
     */
    public void withTicketRefresh(IORunnable write) throws IOException {
        if (control == null || released.get() || !TLS13.equals(control.getProtocol())
                || !shared.refreshWanted(registration)) {
            write.run();
            return;
        }
        try {
            shared.enter(ClientTls.Mode.TICKETS, REFRESH_WAIT_MILLIS);
        } catch (SocketTimeoutException e) {
            write.run(); // the reply matters more than the ticket
            return;
        }
        try {
            control.removeValue("ferry.ticket"); // makes JSSE send a NewSessionTicket with the next write
            write.run();
        } finally {
            shared.exit();
        }
    }

    /** The FTP session ended: its control session stays known to its address for a while (ClientTls). */
    public void release() {
        if (released.compareAndSet(false, true)) {
            leave.accept(registration);
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
