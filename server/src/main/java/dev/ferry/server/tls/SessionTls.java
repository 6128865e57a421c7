package dev.ferry.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The TLS state of one FTP session. It has an {@link SSLContext} of its own (notes/tls-reuse.md,
 * section 1): the context's session cache and ticket keys then hold nothing but this session's
 * control TLS session, so a data connection with {@code setEnableSessionCreation(false)} can only
 * be a resumption of <em>this</em> control session. With one shared context, any logged-in client
 * could resume its own session on another user's passive port and receive their file.
 */
public final class SessionTls {

    /** Above TLS 1.3's 7-day ticket cap (RFC 8446 section 4.6.1): JSSE then sends no NewSessionTicket. */
    private static final int QUIET_TIMEOUT = 604_800 + 1;
    /** Ticket and TLS 1.2 session-id lifetime: longer than any FTP session. */
    private static final int SESSION_TIMEOUT = 86_400;
    private static final String TLS13 = "TLSv1.3";

    private final SSLContext context;
    private final TlsPolicy policy;
    private SSLSession control;

    /** Thrown when a data connection is not a resumption of the control session. */
    public static final class ReuseRequired extends IOException {
        ReuseRequired(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A context for one FTP session with the server's current key material (~1-2 us: the managers
     * and the random generator are shared, notes 5.3).
     */
    public SessionTls(TlsIdentity identity, TlsPolicy policy) throws GeneralSecurityException {
        this.policy = policy;
        this.context = SSLContext.getInstance("TLS");
        TlsIdentity.Loaded material = identity.material();
        TrustManager[] trust = policy.validateCert() ? material.trustManagers() : AnyClientCertificate.MANAGERS;
        context.init(material.keyManagers(), trust, identity.random());
        SSLSessionContext sessions = context.getServerSessionContext();
        sessions.setSessionTimeout(SESSION_TIMEOUT);
        sessions.setSessionCacheSize(16); // the TLS 1.2 session id and the refresh tickets of step 4
    }

    /** AUTH TLS or an implicit FTPS connection: the TLS handshake on the control connection. */
    public SSLSocket upgradeControl(Socket plain) throws IOException {
        // not autoClose: CCC must be able to end TLS and keep the TCP connection (RFC 4217 section 6)
        SSLSocket socket = layer(plain, false);
        if (policy.requireCert()) {
            socket.setNeedClientAuth(true);
        } else if (policy.asksForCertificate()) {
            socket.setWantClientAuth(true);
        }
        // the control socket's SO_TIMEOUT (idle_session_timeout) bounds the handshake
        socket.startHandshake();
        control = socket.getSession();
        if (TLS13.equals(control.getProtocol())) {
            // TLS 1.3 only: a ticket sent on a data connection an uploading client never reads makes
            // its close a reset, and the server loses the tail of the upload (notes 4.4)
            context.getServerSessionContext().setSessionTimeout(QUIET_TIMEOUT);
        }
        return socket;
    }

    /**
     * PROT P: the data connection's handshake, bounded by {@code timeoutMillis} (accept_timeout or
     * connect_timeout); with require_ssl_reuse only a resumption of the control session passes.
     * JSSE refuses anything else inside the handshake ("Not resumption, and no new session is
     * allowed"), because this context holds no other session (notes section 1, step 2).
     */
    public SSLSocket wrapData(Socket raw, int timeoutMillis) throws IOException {
        if (control == null) {
            throw new SSLException("no TLS session on the control connection");
        }
        SSLSocket socket = layer(raw, true);
        socket.setEnableSessionCreation(!policy.requireReuse());
        int before = raw.getSoTimeout();
        try {
            raw.setSoTimeout(timeoutMillis);
            socket.startHandshake();
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
        if (policy.requireReuse() && socket.getSession().getCreationTime() != control.getCreationTime()) {
            // defence in depth: every kind of resumption keeps the creation time (notes section 2)
            closeQuietly(socket);
            throw new ReuseRequired("SSL connection failed: session reuse required", null);
        }
        return socket;
    }

    /**
     * Writes the reply that ends a transfer. In TLS 1.3 it is followed by a fresh ticket on the
     * control connection, because OpenSSL clients (curl) use a ticket once: without it their next
     * data connection could not resume (notes section 1, step 4). The caller holds the reply lock.
     */
    public void withTicketRefresh(IORunnable write) throws IOException {
        if (control == null || !TLS13.equals(control.getProtocol())) {
            write.run();
            return;
        }
        SSLSessionContext sessions = context.getServerSessionContext();
        sessions.setSessionTimeout(SESSION_TIMEOUT);
        control.removeValue("ferry.ticket"); // makes JSSE send a NewSessionTicket with the next write
        try {
            write.run();
        } finally {
            sessions.setSessionTimeout(QUIET_TIMEOUT);
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
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
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
