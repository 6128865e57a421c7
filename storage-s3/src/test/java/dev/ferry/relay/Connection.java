package dev.ferry.relay;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One client connection and its connection to the server, joined by a pipe each way. */
final class Connection {

    private final long id;
    private final Socket client;
    private final Socket server;
    private final Relay relay;
    private final AtomicInteger open = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private Pipe up;
    private Pipe down;

    Connection(long id, Socket client, Socket server, Relay relay) {
        this.id = id;
        this.client = client;
        this.server = server;
        this.relay = relay;
    }

    long id() {
        return id;
    }

    void start(Link link, Pacer toServer, Pacer toClient, Faults faults) {
        up = new Pipe(this, Direction.TO_SERVER, client, server, link, toServer, faults);
        down = new Pipe(this, Direction.TO_CLIENT, server, client, link, toClient, faults);
        up.start();
        down.start();
    }

    /** The sender of {@code direction} closed its side: pass the half-close on; both gone, close. */
    void ended(Direction direction) {
        try {
            (direction == Direction.TO_SERVER ? server : client).shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        if (open.decrementAndGet() == 0) {
            close();
        }
    }

    /** TCP RST to both ends: linger 0 makes close() abort instead of sending FIN. */
    void reset() {
        try {
            client.setSoLinger(true, 0);
            server.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing to reset
        }
        relay.countReset();
        close();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(client);
            closeQuietly(server);
            up.stop();
            down.stop();
            relay.closed(this);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
