package dev.ferry.server.net;

import dev.ferry.server.net.DataEndpoint;
import dev.ferry.server.tls.SessionTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the data connection a transfer uses. Bounce protection (RFC 2577 section 3): the data
 * peer must be the control connection's peer unless pasv_promiscuous / port_promiscuous say
 * otherwise; the PORT/EPRT commands check their own target when they are given.
 *
 * <p>Every data connection is a {@link SocketChannel} (passive ones accepted by a
 * {@code ServerSocketChannel}, active ones opened by {@code SocketChannel.open}), so a plain
 * download can send a file with sendfile (DESIGN.md, "Zero-copy downloads"); the stream path and
 * TLS use the channel's socket adaptor, whose timeouts park the virtual thread as a socket's do.
 */
public final class DataConnector {

    /** The data connection could not be made; code and message are for the reply (425, or 522 for TLS). */
    public static final class DataConnectionFailed extends IOException {
        private final int code;

        public DataConnectionFailed(String message, Throwable cause) {
            this(425, message, cause);
        }

        public DataConnectionFailed(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /**
     * What every data connection of a server shares.
     *
     * @param acceptMillis    accept_timeout: how long a passive listener waits for the client
     * @param connectMillis   connect_timeout: how long an active connection may take to open
     * @param sourcePort      connect_from_port_20: the port active connections come from, or 0 for any
     */
    public record Settings(boolean pasvPromiscuous, int acceptMillis, int connectMillis, int sourcePort) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DataConnector.class);
    /** The fallback from ftp_data_port is logged once per run, not once per transfer. */
    private static final AtomicBoolean SOURCE_PORT_WARNED = new AtomicBoolean();

    private final InetAddress controlPeer;
    private final InetAddress controlLocal;
    private final Settings settings;
    private final ProxyProtocol proxy;

    /**
     * @param controlPeer the client's address (behind a load balancer, the one its PROXY header named)
     * @param proxy       with pasv_proxy_protocol, passive data connections start with a PROXY header
     */
    public DataConnector(InetAddress controlPeer, InetAddress controlLocal, Settings settings, ProxyProtocol proxy) {
        this.controlPeer = controlPeer;
        this.controlLocal = controlLocal;
        this.settings = settings;
        this.proxy = proxy;
    }

    public SocketChannel connect(DataEndpoint endpoint) throws DataConnectionFailed {
        return switch (endpoint) {
            case DataEndpoint.Passive passive -> accept(passive);
            case DataEndpoint.Active active -> dial(active.target());
        };
    }

    /**
     * PROT P: the TLS handshake on an open data connection, bounded by accept_timeout (passive) or
     * connect_timeout (active). A client that does not resume this session's own TLS session is
     * refused with vsftpd's 522 text when require_ssl_reuse is on (SessionTls.wrapData).
     */
    public Socket protect(Socket raw, DataEndpoint endpoint, SessionTls tls) throws DataConnectionFailed {
        int timeout = endpoint instanceof DataEndpoint.Passive ? settings.acceptMillis() : settings.connectMillis();
        String peer = raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
        try {
            return tls.wrapData(raw, timeout);
        } catch (SessionTls.ReuseRequired e) {
            LOG.info("TLS data connection from {} refused: not a resumption of this session's TLS session ({})",
                    peer, e.getCause() == null ? "creation time differs" : e.getCause().getMessage());
            throw new DataConnectionFailed(522, e.getMessage(), e);
        } catch (SSLException e) {
            LOG.info("TLS data connection from {} failed: {}", peer, e.getMessage());
            throw new DataConnectionFailed(522, "SSL connection failed.", e);
        } catch (IOException e) {
            LOG.info("TLS data connection from {} failed: {}", peer, e.toString());
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    /**
     * A passive data connection the client has opened already, taken without waiting: clients
     * (Commons Net, Python's ftplib, curl) connect after the 227 and before they send RETR, so it
     * is usually there. Empty when it is not, or when taking it could wait (active mode, a PROXY
     * header to read); then {@link #connect} takes it as usual.
     */
    public Optional<SocketChannel> connectWaiting(DataEndpoint endpoint) throws DataConnectionFailed {
        if (!(endpoint instanceof DataEndpoint.Passive passive) || proxy.data()) {
            return Optional.empty();
        }
        try {
            claim(passive);
            SocketChannel socket = passive.listener().acceptWaiting();
            if (socket == null) {
                return Optional.empty();
            }
            passive.close();
            return Optional.of(checked(socket, ((InetSocketAddress) socket.getRemoteAddress()).getAddress()));
        } catch (DataConnectionFailed e) {
            passive.close();
            throw e;
        } catch (IOException e) {
            passive.close();
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    private static void claim(DataEndpoint.Passive passive) throws DataConnectionFailed {
        if (!PassivePorts.claim(passive.listener())) {
            // pasv_claim_timeout passed, or a client that uses its ports took this one over
            throw new DataConnectionFailed("Can't open data connection: the passive port was given back "
                    + "unclaimed; send PASV again.", null);
        }
    }

    /** {@code socket} if its peer may connect (RFC 2577 bounce protection), else closed and refused. */
    private SocketChannel checked(SocketChannel socket, InetAddress peer) throws IOException {
        if (!settings.pasvPromiscuous() && !peer.equals(controlPeer)) {
            // vsftpd: "425 Security: Bad IP connecting."
            socket.close();
            throw new DataConnectionFailed("Security: Bad IP connecting.", null);
        }
        return socket;
    }

    private SocketChannel accept(DataEndpoint.Passive passive) throws DataConnectionFailed {
        try (passive) {
            claim(passive);
            SocketChannel socket = passive.listener().accept(settings.acceptMillis());
            return checked(socket, peer(socket));
        } catch (SocketTimeoutException e) {
            throw new DataConnectionFailed("Failed to establish connection.", e);
        } catch (DataConnectionFailed e) {
            throw e;
        } catch (IOException e) {
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    /**
     * Who opened a passive data connection: the socket's peer, or with pasv_proxy_protocol the client
     * its balancer's header names. The header is read even with pasv_promiscuous, as it must not
     * reach the file. A peer outside proxy_protocol_trusted gets vsftpd's "Bad IP" 425.
     */
    private InetAddress peer(SocketChannel socket) throws IOException {
        if (!proxy.data()) {
            return ((InetSocketAddress) socket.getRemoteAddress()).getAddress();
        }
        try {
            return proxy.client(socket.socket()).getAddress();
        } catch (ProxyProtocol.Refused e) {
            LOG.info("passive data connection refused: {}", e.getMessage());
            socket.close();
            throw new DataConnectionFailed(e.untrusted() ? "Security: Bad IP connecting." : "Failed to establish connection.", e);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private SocketChannel dial(InetSocketAddress target) throws DataConnectionFailed {
        SocketChannel socket = boundSocket();
        try {
            // the adaptor's connect takes connect_timeout and parks the virtual thread meanwhile
            socket.socket().connect(target, settings.connectMillis());
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    /**
     * connect_from_port_20: vsftpd connects from ftp_data_port (RFC 959 section 3.2's L-1), which
     * some client-side firewalls expect. Binding a port below 1024 needs privileges Ferry rarely
     * has; then the connection comes from any port, with a warning, rather than failing.
     */
    private SocketChannel boundSocket() throws DataConnectionFailed {
        if (settings.sourcePort() > 0) {
            SocketChannel socket = open();
            try {
                // many sessions connect from the same port at once
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                socket.bind(new InetSocketAddress(controlLocal, settings.sourcePort()));
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                if (SOURCE_PORT_WARNED.compareAndSet(false, true)) {
                    LOG.warn("connect_from_port_20: cannot bind port {} ({}); active data connections come "
                            + "from any port", settings.sourcePort(), e.getMessage());
                }
            }
        }
        SocketChannel socket = open();
        try {
            socket.bind(new InetSocketAddress(controlLocal, 0));
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    private static SocketChannel open() throws DataConnectionFailed {
        try {
            return SocketChannel.open();
        } catch (IOException e) {
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
