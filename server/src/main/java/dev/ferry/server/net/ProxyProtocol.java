package dev.ferry.server.net;

import dev.ferry.server.address.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * Where PROXY protocol headers are expected and from whom (proxy_protocol, pasv_proxy_protocol,
 * proxy_protocol_trusted). A header makes any claim its sender likes, so only the balancers listed
 * may send one; a connection from anywhere else is refused, as is a malformed header. Both are
 * refused without an FTP reply: the peer is not an FTP client (yet).
 *
 * @param control control connections start with a header
 * @param data    passive data connections start with a header
 * @param trusted the balancers' addresses or networks
 */
public record ProxyProtocol(boolean control, boolean data, List<Cidr> trusted) {

    /**
     * A balancer writes its header as soon as the connection is up (HAProxy in the same segment as
     * the handshake's end), so a peer silent this long is not one.
     */
    public static final int HEADER_TIMEOUT_MILLIS = 10_000;

    /** The connection is refused; the message says why, for the log. */
    public static final class Refused extends IOException {
        private final boolean untrusted;

        Refused(String message, boolean untrusted) {
            super(message);
            this.untrusted = untrusted;
        }

        /** The peer is not in proxy_protocol_trusted (rather than its header being wrong). */
        public boolean untrusted() {
            return untrusted;
        }
    }

    public ProxyProtocol {
        trusted = List.copyOf(trusted);
    }

    public boolean trusts(InetAddress peer) {
        return trusted.stream().anyMatch(network -> network.contains(peer));
    }

    /**
     * The client of a connection that starts with a header: the source the header names, or the
     * socket's own peer for a LOCAL / UNKNOWN header. Reads the header and nothing after it, within
     * {@link #HEADER_TIMEOUT_MILLIS}; the socket's read timeout is restored afterwards.
     *
     * @throws Refused     the peer is not trusted, or its header is malformed, incomplete or late
     * @throws IOException the connection failed
     */
    public InetSocketAddress client(Socket socket) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (!trusts(peer.getAddress())) {
            throw new Refused("PROXY protocol: " + peer.getAddress().getHostAddress()
                    + " is not in proxy_protocol_trusted", true);
        }
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(HEADER_TIMEOUT_MILLIS);
        try {
            return switch (ProxyHeader.read(socket.getInputStream())) {
                case ProxyHeader.Proxied proxied -> proxied.source();
                case ProxyHeader.Local local -> peer;
            };
        } catch (ProxyHeader.Malformed e) {
            throw new Refused(e.getMessage() + " from " + peer.getAddress().getHostAddress(), false);
        } catch (SocketTimeoutException e) {
            throw new Refused("no complete PROXY protocol header from " + peer.getAddress().getHostAddress()
                    + " within " + HEADER_TIMEOUT_MILLIS / 1000 + " s", false);
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        }
    }
}
