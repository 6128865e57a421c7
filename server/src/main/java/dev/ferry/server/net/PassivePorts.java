package dev.ferry.server.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens passive-mode listeners inside pasv_min_port..pasv_max_port. Both 0: any free port. As in
 * vsftpd (privops.c), a bound left at 0 means the end of the unprivileged range: pasv_min_port alone
 * gives min..65535, pasv_max_port alone 1024..max. Successive sessions start their search at
 * rotating points of the range so a busy server does not retry the same low ports again and again.
 */
public final class PassivePorts {

    private final int min;
    private final int max;
    private final AtomicInteger next;

    /** The lowest port a one-sided range starts at: vsftpd never listens below it. */
    private static final int UNPRIVILEGED = 1024;

    public PassivePorts(int min, int max) {
        if (min < 0 || max < 0 || max > 65535) {
            throw new IllegalArgumentException("bad passive port range " + min + ".." + max);
        }
        boolean any = min == 0 && max == 0;
        this.min = any ? 0 : min == 0 ? Math.min(UNPRIVILEGED, max) : min;
        this.max = any ? 0 : max == 0 ? 65535 : max;
        if (this.min > this.max) {
            throw new IllegalArgumentException("bad passive port range " + min + ".." + max);
        }
        this.next = new AtomicInteger(any ? 0 : ThreadLocalRandom.current().nextInt(this.max - this.min + 1));
    }

    /** A listener bound to {@code address} (the control connection's local address). */
    public ServerSocket open(InetAddress address) throws IOException {
        if (min == 0) {
            return bind(address, 0);
        }
        int size = max - min + 1;
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            int port = min + (start + i) % size;
            try {
                return bind(address, port);
            } catch (BindException inUse) {
                // taken by another session or process; try the next one
            }
        }
        throw new BindException("all passive ports " + min + "-" + max + " are in use");
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
