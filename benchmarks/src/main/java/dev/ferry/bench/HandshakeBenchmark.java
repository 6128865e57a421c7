package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The price of a data connection's TLS handshake, full vs resumed: JSSE client and server in this
 * JVM over loopback, TLS 1.3, an RSA 2048 certificate. Each operation is a TCP connect, the
 * handshake, a one-byte echo (so the client takes in the server's session ticket, which TLS 1.3
 * sends after the handshake) and a close. "full" gives each connection a fresh client SSLContext,
 * so there is no session to resume; "resumed" keeps one client context, whose session cache offers
 * the ticket of the previous connection to the same server (what require_ssl_reuse asks of a data
 * connection). Score: ms per connection, handshake included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Threads(1)
public class HandshakeBenchmark {

    public static final String FULL = "full";
    public static final String RESUMED = "resumed";
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    @Param({FULL, RESUMED})
    public String handshake;

    private Path dir;
    private SSLServerSocket listener;
    private Thread acceptor;
    private TrustManagerFactory trust;
    private SSLContext sharedClient;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("ferry-handshake-");
        KeyStore keys = BenchCertificate.load(BenchCertificate.create(dir));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, BenchCertificate.PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers.getKeyManagers(), null, null);
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys); // the self-signed certificate is its own anchor
        sharedClient = clientContext();
        listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(PROTOCOLS);
        acceptor = Thread.ofPlatform().name("handshake-server").daemon().start(this::serve);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        listener.close();
        acceptor.join(TimeUnit.SECONDS.toMillis(10));
        Fixtures.deleteTree(dir);
    }

    /** Echoes one byte per connection, one connection at a time, until the listener closes. */
    private void serve() {
        while (!listener.isClosed()) {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(30_000);
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                int b = in.read();
                OutputStream out = socket.getOutputStream();
                out.write(b);
                out.flush();
            } catch (SocketException closed) {
                return; // the listener closed under accept: the trial is over
            } catch (IOException e) {
                // one failed connection: the client sees it and fails the benchmark
            }
        }
    }

    private SSLContext clientContext() throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        return client;
    }

    @Benchmark
    public int connect() throws Exception {
        SSLContext client = handshake.equals(RESUMED) ? sharedClient : clientContext();
        // the same address and port every time: the client cache finds the session by host and port
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(listener.getInetAddress(),
                listener.getLocalPort())) {
            socket.setEnabledProtocols(PROTOCOLS);
            socket.setSoTimeout(30_000);
            // Nagle off on both ends: a handshake is several small writes in a row, and with Nagle
            // each waits out the peer's delayed ACK (~40 ms), which would swamp the cryptography
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(42);
            out.flush();
            int echoed = socket.getInputStream().read();
            if (echoed != 42) {
                throw new IOException("echo returned " + echoed);
            }
            return echoed;
        }
    }
}
