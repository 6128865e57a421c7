package dev.ferry.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.DelayQueue;

/**
 * One direction of one relayed connection, as a delay line: a reader takes bytes from one socket
 * as soon as the window allows and stamps them with the time they are due on the far side; a
 * writer releases them to the other socket when due. Throughput is kept (many chunks are on the
 * way at once), unlike a sleep per chunk, which would add the delay to every read.
 */
final class Pipe {

    private static final int CHUNK = 64 * 1024;

    private final Connection connection;
    private final Direction direction;
    private final Socket from;
    private final Socket to;
    private final long delayNanos;
    private final Window window;
    private final Pacer pacer;
    private final Faults faults;
    private final DelayQueue<Chunk> line = new DelayQueue<>();
    private volatile Thread reader;
    private volatile Thread writer;

    Pipe(Connection connection, Direction direction, Socket from, Socket to, Link link, Pacer pacer, Faults faults) {
        this.connection = connection;
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.delayNanos = link.oneWayDelay().toNanos();
        this.window = new Window(link.window());
        this.pacer = pacer;
        this.faults = faults;
    }

    void start() {
        reader = Thread.ofVirtual().name("relay-" + connection.id() + "-" + direction + "-in").start(this::read);
        writer = Thread.ofVirtual().name("relay-" + connection.id() + "-" + direction + "-out").start(this::write);
    }

    /** Wakes both threads wherever they wait (window, delay line, stall) once the sockets are closed. */
    void stop() {
        for (Thread thread : new Thread[] {reader, writer}) {
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
    }

    private void read() {
        long sequence = 0;
        long lastDue = System.nanoTime();
        byte[] buffer = new byte[CHUNK];
        try {
            // not try-with-resources: closing a socket's stream closes the socket, both ways
            InputStream in = from.getInputStream();
            while (true) {
                int credit = window.take(CHUNK);
                int n = in.read(buffer, 0, credit);
                long now = System.nanoTime();
                if (n < 0) {
                    // the end follows the last bytes, which a bandwidth cap may have put later
                    line.put(new Chunk(new byte[0], Math.max(now + delayNanos, lastDue), sequence, true));
                    return;
                }
                window.unused(credit - n);
                long due = pacer.reserve(n, now) + delayNanos;
                lastDue = due;
                line.put(new Chunk(Arrays.copyOf(buffer, n), due, sequence++, false));
            }
        } catch (IOException | InterruptedException e) {
            // the socket was closed by a reset or by the other direction's end: the writer is told
            line.put(new Chunk(new byte[0], System.nanoTime(), Long.MAX_VALUE, true));
        }
    }

    private void write() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = line.take();
                if (chunk.end()) {
                    connection.ended(direction);
                    return;
                }
                byte[] bytes = chunk.bytes();
                Faults.Action action = faults.before(connection.id(), direction, bytes.length);
                if (action == null) {
                    out.write(bytes);
                } else {
                    out.write(bytes, 0, action.offset());
                    out.flush();
                    switch (action) {
                        case Faults.ResetAt ignored -> {
                            connection.reset();
                            return;
                        }
                        case Faults.StallAt stall -> Thread.sleep(stall.time());
                    }
                    out.write(bytes, action.offset(), bytes.length - action.offset());
                }
                window.giveBack(bytes.length, System.nanoTime() + delayNanos);
            }
        } catch (IOException | InterruptedException e) {
            connection.close();
        }
    }
}
