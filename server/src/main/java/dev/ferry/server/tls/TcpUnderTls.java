package dev.ferry.server.tls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

/**
 * The TCP connection under a TLS connection, seen by JSSE through this delegate: so that Ferry
 * learns whether the client ended its data with close_notify or with a bare TCP close, and, on a
 * control connection, so that JSSE first reads the ClientHello that Ferry read before it
 * ({@link ClientHello}). JSSE's own way to hand it read bytes wraps the socket's stream in a
 * {@code SequenceInputStream}, which closes the socket when its input ends; but the end of the
 * input is how a control deadline wakes the session, which must then still write its 421.
 *
 * <p>JSSE reads whole records, so after the client's close_notify alert it reads nothing more from
 * the TCP stream; it only reaches the TCP end when the client closed without one. JSSE then reports
 * a clean end of the data anyway (com.sun.net.ssl.requireCloseNotify is false, and it is JVM-wide),
 * which would let anyone who can forge a TCP FIN cut an upload short unnoticed. vsftpd's
 * strict_ssl_read_eof refuses such an upload; here the TCP end then becomes a {@link BareTcpEnd}.
 */
final class TcpUnderTls extends Socket {

    /** The client closed the TCP connection without TLS close_notify, and strict_ssl_read_eof is on. */
    static final class BareTcpEnd extends IOException {
        BareTcpEnd() {
            super("the client closed the data connection without TLS close_notify (strict_ssl_read_eof)");
        }
    }

    private final Socket tcp;
    private final boolean strict;
    private volatile boolean tcpEnded;
    /** Bytes read off the connection before JSSE, served first; guarded by the reading thread. */
    private byte[] replay;
    private int replayed;

    TcpUnderTls(Socket tcp, boolean strict) {
        this(tcp, strict, new byte[0]);
    }

    /** With {@code replay}: bytes already read from {@code tcp}, which JSSE reads first. */
    TcpUnderTls(Socket tcp, boolean strict, byte[] replay) {
        this.tcp = tcp;
        this.strict = strict;
        this.replay = replay;
    }

    /** Whether the TCP stream ended under TLS (the client closed without close_notify). */
    boolean tcpEnded() {
        return tcpEnded;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new FilterInputStream(tcp.getInputStream()) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (replay != null && length > 0) {
                    int n = Math.min(length, replay.length - replayed);
                    System.arraycopy(replay, replayed, buffer, offset, n);
                    replayed += n;
                    if (replayed == replay.length) {
                        replay = null;
                    }
                    if (n > 0) {
                        return n;
                    }
                }
                return ended(in.read(buffer, offset, length));
            }

            @Override
            public int available() throws IOException {
                return (replay == null ? 0 : replay.length - replayed) + in.available();
            }
        };
    }

    private int ended(int n) throws IOException {
        if (n < 0) {
            tcpEnded = true;
            if (strict) {
                throw new BareTcpEnd();
            }
        }
        return n;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return tcp.getOutputStream();
    }

    @Override
    public SocketChannel getChannel() {
        return tcp.getChannel(); // the transfer's sendfile bookkeeping compares channels
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        tcp.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        tcp.shutdownOutput();
    }

    @Override
    public boolean isClosed() {
        return tcp.isClosed();
    }

    @Override
    public boolean isConnected() {
        return tcp.isConnected();
    }

    @Override
    public boolean isBound() {
        return tcp.isBound();
    }

    @Override
    public boolean isInputShutdown() {
        return tcp.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return tcp.isOutputShutdown();
    }

    @Override
    public InetAddress getInetAddress() {
        return tcp.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return tcp.getLocalAddress();
    }

    @Override
    public int getPort() {
        return tcp.getPort();
    }

    @Override
    public int getLocalPort() {
        return tcp.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return tcp.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return tcp.getLocalSocketAddress();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        tcp.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return tcp.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        tcp.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return tcp.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        tcp.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return tcp.getSoLinger();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        tcp.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return tcp.getKeepAlive();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        tcp.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return tcp.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        tcp.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return tcp.getReceiveBufferSize();
    }

    @Override
    public String toString() {
        return tcp.toString();
    }
}
