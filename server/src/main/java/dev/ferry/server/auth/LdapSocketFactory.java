package dev.ferry.server.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factory JNDI opens ldaps:// connections with when {@code ldap_ca_file} is set. JNDI
 * takes a factory only as a class name and calls its static {@link #getDefault()}
 * ({@code java.naming.ldap.factory.socket}), so the factory built from the CA file reaches it
 * through a thread-local that {@link LdapDirectory} sets around the connect, on the login thread
 * that connects (JNDI opens the socket on the calling thread; its own pool is off).
 */
public final class LdapSocketFactory extends SocketFactory {

    private static final ThreadLocal<SSLSocketFactory> CURRENT = new ThreadLocal<>();

    private final SSLSocketFactory delegate;

    private LdapSocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    /** Called by JNDI through reflection while a connection opens. */
    public static SocketFactory getDefault() {
        SSLSocketFactory current = CURRENT.get();
        if (current == null) {
            // outside a connect of LdapDirectory: never fall back to trusting less
            throw new IllegalStateException("LdapSocketFactory used outside an LDAP connect");
        }
        return new LdapSocketFactory(current);
    }

    static void use(SSLSocketFactory factory) {
        CURRENT.set(factory);
    }

    static void clear() {
        CURRENT.remove();
    }

    // JNDI calls the unconnected form when a connect timeout is set, then connects with the timeout
    @Override
    public Socket createSocket() throws IOException {
        return delegate.createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
    }
}
