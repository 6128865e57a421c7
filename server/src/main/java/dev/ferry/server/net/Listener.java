package dev.ferry.server.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop: one platform thread per listening socket hands every accepted connection to
 * {@code onConnection}, which starts a virtual thread for it. Admission (max_clients) happens in
 * that thread so a refused client reads a 421 instead of waiting in the backlog.
 */
public final class Listener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final ServerSocket socket;
    private final Thread thread;
    private volatile boolean closed;

    public Listener(ServerSocket socket, Consumer<Socket> onConnection) {
        this.socket = socket;
        this.thread = Thread.ofPlatform().name("ferry-acceptor-" + socket.getLocalPort()).daemon(false).unstarted(() -> {
            while (!closed) {
                try {
                    onConnection.accept(socket.accept());
                } catch (SocketException e) {
                    if (!closed) {
                        LOG.error("listener failed", e);
                    }
                    return;
                } catch (IOException e) {
                    LOG.warn("accept failed: {}", e.toString());
                }
            }
        });
    }

    public void start() {
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
