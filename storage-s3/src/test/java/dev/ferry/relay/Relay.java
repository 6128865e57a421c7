package dev.ferry.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay that puts distance between a client and a server: a one-way delay each way,
 * a per-connection window (so one connection cannot fill a long link, as with real TCP) and an
 * optional shared bandwidth cap; and the faults of a real network on demand: resets after N bytes,
 * stalls, refused connections. Each direction of each connection is a delay line on two virtual
 * threads (see {@link Pipe}).
 *
 * <p>Loopback only: it listens on 127.0.0.1 and forwards only to a loopback address.
 */
public final class Relay implements AutoCloseable {

    private final InetSocketAddress target;
    private final Link link;
    private final Pacer toServer;
    private final Pacer toClient;
    private final Faults faults = new Faults();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final int port;
    private final Thread acceptor;
    private volatile ServerSocket listener;
    private volatile Instant refusedUntil = Instant.MIN;
    private volatile CountDownLatch listenerDown = new CountDownLatch(0);
    private volatile boolean closed;

    private Relay(InetSocketAddress target, Link link) throws IOException {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the relay forwards to loopback addresses only, not " + target);
        }
        this.target = target;
        this.link = link;
        this.toServer = new Pacer(link.bandwidth());
        this.toClient = new Pacer(link.bandwidth());
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        this.acceptor = Thread.ofVirtual().name("relay-accept-" + port).start(this::accept);
    }

    /** Starts a relay on a free loopback port in front of {@code target}. */
    public static Relay start(InetSocketAddress target, Link link) throws IOException {
        return new Relay(target, link);
    }

    /** {@link #start(InetSocketAddress, Link)} in front of the HTTP endpoint {@code endpoint}. */
    public static Relay start(URI endpoint, Link link) throws IOException {
        return start(new InetSocketAddress(InetAddress.getByName(endpoint.getHost()), endpoint.getPort()), link);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        return socket;
    }

    public int port() {
        return port;
    }

    public Link link() {
        return link;
    }

    /** {@code http://127.0.0.1:port}: the endpoint a client uses to reach the server through the relay. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Arms a fault; byte counts start now. */
    public void inject(Fault fault) {
        switch (fault) {
            case Fault.Reset reset -> faults.arm(reset);
            case Fault.Stall stall -> faults.arm(stall);
            case Fault.Refuse refuse -> refuse(refuse);
        }
    }

    /** Disarms every fault that has not tripped yet (a refusal in progress runs its course). */
    public void clear() {
        faults.clear();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Connections reset by a fault so far. */
    public int resets() {
        return resets.get();
    }

    /** Resets and stalls done so far. */
    public int tripped() {
        return faults.tripped();
    }

    /**
     * Closes the port so that connecting fails at once (ECONNREFUSED) and opens it again after the
     * time; the acceptor does the reopening. Returns once the port is really closed: closing a
     * socket that a thread is blocked on only signals that thread, and the descriptor (still
     * listening) closes when it wakes.
     */
    private void refuse(Fault.Refuse refuse) {
        CountDownLatch down = new CountDownLatch(1);
        listenerDown = down;
        refusedUntil = Instant.now().plus(refuse.time());
        try {
            listener.close();
            down.await();
        } catch (IOException e) {
            // closing: the acceptor reopens it either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed && !reopen()) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            Thread.ofVirtual().name("relay-connect-" + port).start(() -> join(client));
        }
    }

    /** After a refusal: waits it out and listens on the same port again. */
    private boolean reopen() {
        listenerDown.countDown();
        try {
            while (Instant.now().isBefore(refusedUntil) && !closed) {
                Thread.sleep(10);
            }
            if (!closed) {
                listener = listen(port);
            }
            return !closed;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void join(Socket client) {
        Socket server = new Socket();
        try {
            // the server is across the link too: connecting costs a round trip
            Thread.sleep(link.roundTrip());
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 10_000);
        } catch (IOException | InterruptedException e) {
            closeQuietly(server);
            closeQuietly(client);
            return;
        }
        Connection connection = new Connection(ids.incrementAndGet(), client, server, this);
        open.add(connection);
        if (closed) {
            connection.close();
            return;
        }
        connection.start(link, toServer, toClient, faults);
    }

    void countReset() {
        resets.incrementAndGet();
    }

    void closed(Connection connection) {
        open.remove(connection);
        faults.forget(connection.id());
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        acceptor.interrupt();
        for (Connection connection : open) {
            connection.close();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing: nothing left to do
        }
    }
}
