package dev.ferry.server.net;

import dev.ferry.server.session.DataEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Opens the data connection a transfer uses. Bounce protection (RFC 2577 section 3): the data
 * peer must be the control connection's peer unless pasv_promiscuous / port_promiscuous say
 * otherwise; the PORT/EPRT commands check their own target when they are given.
 */
public final class DataConnector {

    /** The data connection could not be made; the message is for the 425 reply. */
    public static final class DataConnectionFailed extends IOException {
        public DataConnectionFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final InetAddress controlPeer;
    private final InetAddress controlLocal;
    private final boolean pasvPromiscuous;
    private final int timeoutMillis;

    public DataConnector(InetAddress controlPeer, InetAddress controlLocal, boolean pasvPromiscuous,
                         int timeoutMillis) {
        this.controlPeer = controlPeer;
        this.controlLocal = controlLocal;
        this.pasvPromiscuous = pasvPromiscuous;
        this.timeoutMillis = timeoutMillis;
    }

    public Socket connect(DataEndpoint endpoint) throws DataConnectionFailed {
        return switch (endpoint) {
            case DataEndpoint.Passive passive -> accept(passive);
            case DataEndpoint.Active active -> dial(active.target());
        };
    }

    private Socket accept(DataEndpoint.Passive passive) throws DataConnectionFailed {
        try (passive) {
            passive.listener().setSoTimeout(timeoutMillis);
            Socket socket = passive.listener().accept();
            InetAddress peer = socket.getInetAddress();
            if (!pasvPromiscuous && !peer.equals(controlPeer)) {
                // vsftpd: "425 Security: Bad IP connecting."
                socket.close();
                throw new DataConnectionFailed("Security: Bad IP connecting.", null);
            }
            return socket;
        } catch (SocketTimeoutException e) {
            throw new DataConnectionFailed("Failed to establish connection.", e);
        } catch (DataConnectionFailed e) {
            throw e;
        } catch (IOException e) {
            throw new DataConnectionFailed("Failed to establish connection.", e);
        }
    }

    private Socket dial(InetSocketAddress target) throws DataConnectionFailed {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(controlLocal, 0));
            socket.connect(target, timeoutMillis);
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
}
