package dev.ferry.server.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens passive-mode listeners inside pasv_min_port..pasv_max_port. Both 0: any free port. As in
 * vsftpd (privops.c), a bound left at 0 means the end of the unprivileged range: pasv_min_port alone
 * gives min..65535, pasv_max_port alone 1024..max. Successive sessions start their search at
 * rotating points of the range so a busy server does not retry the same low ports again and again.
 *
 * <p>Port reuse: a listener is closed as soon as its data connection is accepted, and binds with
 * SO_REUSEADDR, so its port is free for the next PASV while that transfer (or its TIME_WAIT) still
 * uses it. A port is only "taken" while a listener waits on it.
 *
 * <p>Flood protection: a session holds one listener at a time (a new PASV closes the old one), and
 * the clients of one address hold at most pasv_max_per_ip listeners, so one client cannot take
 * every port of the range and lock everybody else out.
 */
public final class PassivePorts {

    /** One address holds as many waiting listeners as it may. */
    public static final class TooManyFromAddress extends IOException {
        TooManyFromAddress(String message) {
            super(message);
        }
    }

    /** The lowest port a one-sided range starts at: vsftpd never listens below it. */
    private static final int UNPRIVILEGED = 1024;

    private final int min;
    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger next;
    private final Tally<InetAddress> perAddress;
    /** Listeners waiting now, for the metrics' passive-ports gauge; shared across reloads like perAddress. */
    private final AtomicInteger waiting;

    public PassivePorts(int min, int max) {
        this(min, max, 0);
    }

    /** @param maxPerAddress pasv_max_per_ip; 0: half of the range when there is one, else no limit */
    public PassivePorts(int min, int max, int maxPerAddress) {
        this(min, max, maxPerAddress, new Tally<>(), new AtomicInteger());
    }

    /**
     * A new range and limit over the same per-address counts (a configuration reload): listeners
     * opened before still count against pasv_max_per_ip. A port such a listener holds is simply
     * found taken when the new range includes it.
     */
    public PassivePorts withRange(int min, int max, int maxPerAddress) {
        return new PassivePorts(min, max, maxPerAddress, perAddress, waiting);
    }

    private PassivePorts(int min, int max, int maxPerAddress, Tally<InetAddress> perAddress,
                         AtomicInteger waiting) {
        this.perAddress = perAddress;
        this.waiting = waiting;
        if (min < 0 || max < 0 || max > 65535 || maxPerAddress < 0) {
            throw new IllegalArgumentException("bad passive port range " + min + ".." + max);
        }
        boolean any = min == 0 && max == 0;
        this.min = any ? 0 : min == 0 ? Math.min(UNPRIVILEGED, max) : min;
        this.max = any ? 0 : max == 0 ? 65535 : max;
        if (this.min > this.max) {
            throw new IllegalArgumentException("bad passive port range " + min + ".." + max);
        }
        int size = this.max - this.min + 1;
        this.maxPerAddress = maxPerAddress > 0 ? maxPerAddress : any ? 0 : Math.max(1, size / 2);
        this.next = new AtomicInteger(any ? 0 : ThreadLocalRandom.current().nextInt(size));
    }

    /** A listener bound to {@code address} (the control connection's local address) for {@code client}. */
    public ServerSocket open(InetAddress address, InetAddress client) throws IOException {
        InetAddress key = PassiveAddress.unmapped(client);
        if (!perAddress.tryAcquire(key, maxPerAddress)) {
            throw new TooManyFromAddress("address " + key.getHostAddress() + " already holds " + maxPerAddress
                    + " passive listeners");
        }
        Runnable release = () -> {
            perAddress.release(key);
            waiting.decrementAndGet();
        };
        waiting.incrementAndGet();
        try {
            return open(address, release);
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Listeners waiting for their data connection now, all addresses together. */
    public int inUse() {
        return waiting.get();
    }

    /** Waiting listeners held by clients of {@code client}'s address. */
    public int held(InetAddress client) {
        return perAddress.held(PassiveAddress.unmapped(client));
    }

    private ServerSocket open(InetAddress address, Runnable onClose) throws IOException {
        if (min == 0) {
            return bind(address, 0, onClose);
        }
        int size = max - min + 1;
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            int port = min + (start + i) % size;
            try {
                return bind(address, port, onClose);
            } catch (BindException inUse) {
                // taken by another session or process; try the next one
            }
        }
        throw new BindException("all passive ports " + min + "-" + max + " are in use");
    }

    private static ServerSocket bind(InetAddress address, int port, Runnable onClose) throws IOException {
        ServerSocket socket = new Listening(onClose);
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
            return socket;
        } catch (IOException e) {
            ((Listening) socket).closeQuietly();
            throw e;
        }
    }

    /** A listener that gives its address's slot back when closed; bind failures give it back too. */
    private static final class Listening extends ServerSocket {
        private final AtomicBoolean released = new AtomicBoolean();
        private final Runnable onClose;

        Listening(Runnable onClose) throws IOException {
            this.onClose = onClose;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (released.compareAndSet(false, true)) {
                    onClose.run();
                }
            }
        }

        /** After a failed bind: the caller releases the slot itself. */
        void closeQuietly() {
            released.set(true);
            try {
                super.close();
            } catch (IOException ignored) {
                // never bound: nothing to release
            }
        }
    }
}
