package dev.ferry.server.net;

import dev.ferry.server.address.PassiveAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens passive-mode listeners inside pasv_min_port..pasv_max_port. Both 0: any free port (a random
 * one of the kernel's ephemeral range, {@link #bindAny}). As in
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
 *
 * <p>Squatting from many addresses (issue 17: 1,000 sessions from 20 addresses sent PASV and never
 * connected, and the whole range stayed taken until their idle timeout) is met in two ways:
 * <ul>
 *   <li>Claim time (pasv_claim_timeout): a listener that no transfer command has claimed within it
 *       is closed and its port given back. Real clients send the transfer command right after PASV.</li>
 *   <li>Standing: every listener given back unclaimed, or claimed but never connected to, counts
 *       against its address (the count halves every {@link #WASTE_HALF_LIFE}). When no port is free,
 *       a PASV takes over the port of the oldest unclaimed listener of the address whose standing is
 *       worst (listeners it holds now plus its recent waste), if that is at least 2 worse than the
 *       asking address's own; never one of its own address. A client that uses its ports therefore
 *       gets one while squatters hold the range, and two well-behaved clients never take each other's.</li>
 * </ul>
 */
public final class PassivePorts {

    /** One address holds as many waiting listeners as it may. */
    public static final class TooManyFromAddress extends IOException {
        TooManyFromAddress(String message) {
            super(message);
        }
    }

    /** pasv_claim_timeout's default: long enough for any real client's PASV-then-RETR round trips. */
    public static final Duration DEFAULT_CLAIM = Duration.ofSeconds(10);

    /** How fast an address's record of wasted listeners is forgiven. */
    static final Duration WASTE_HALF_LIFE = Duration.ofSeconds(60);

    /** A takeover needs the victim's address this much worse than the taker's: no ping-pong between peers. */
    private static final double TAKEOVER_MARGIN = 2;

    /** Addresses whose waste is remembered before forgotten ones are swept from the map. */
    private static final int WASTE_SWEEP_AT = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(PassivePorts.class);

    /** The lowest port a one-sided range starts at: vsftpd never listens below it. */
    private static final int UNPRIVILEGED = 1024;

    private final int min;
    private final int max;
    private final int maxPerAddress;
    private final long claimNanos;
    private final AtomicInteger next;
    private final Shared shared;

    /**
     * What every configuration's PassivePorts shares, so a reload keeps the counts: listeners opened
     * before still count against pasv_max_per_ip, can be taken over and keep their record.
     */
    private static final class Shared {
        final Tally<InetAddress> perAddress = new Tally<>();
        /** Listeners open now, for the metrics' passive-ports gauge. */
        final AtomicInteger waiting = new AtomicInteger();
        /** Listeners that no transfer command has claimed yet: candidates for a takeover. */
        final Set<Listening> unclaimed = ConcurrentHashMap.newKeySet();
        /** Per address: listeners it let go unused, decaying (see {@link Waste}). */
        final ConcurrentHashMap<InetAddress, Waste> waste = new ConcurrentHashMap<>();
        /**
         * Ports our own open listeners hold: skipped without a bind attempt, so a PASV on a full range
         * costs no socket per port (1,000 squatters re-sending PASV made those binds eat both cores).
         */
        final Set<InetSocketAddress> held = ConcurrentHashMap.newKeySet();
    }

    /** A count that halves every {@link #WASTE_HALF_LIFE}. */
    private record Waste(double count, long at) {
        double now(long nanos) {
            return count * Math.pow(0.5, (double) (nanos - at) / WASTE_HALF_LIFE.toNanos());
        }
    }

    public PassivePorts(int min, int max) {
        this(min, max, 0);
    }

    /** @param maxPerAddress pasv_max_per_ip; 0: half of the range when there is one, else no limit */
    public PassivePorts(int min, int max, int maxPerAddress) {
        this(min, max, maxPerAddress, DEFAULT_CLAIM);
    }

    /** @param claim pasv_claim_timeout: how long a listener waits for its transfer command; 0 for ever */
    public PassivePorts(int min, int max, int maxPerAddress, Duration claim) {
        this(min, max, maxPerAddress, claim, new Shared());
    }

    /**
     * A new range and limit over the same per-address counts (a configuration reload): listeners
     * opened before still count against pasv_max_per_ip. A port such a listener holds is simply
     * found taken when the new range includes it.
     */
    public PassivePorts withRange(int min, int max, int maxPerAddress) {
        return withRange(min, max, maxPerAddress, Duration.ofNanos(claimNanos));
    }

    public PassivePorts withRange(int min, int max, int maxPerAddress, Duration claim) {
        return new PassivePorts(min, max, maxPerAddress, claim, shared);
    }

    private PassivePorts(int min, int max, int maxPerAddress, Duration claim, Shared shared) {
        this.shared = shared;
        if (min < 0 || max < 0 || max > 65535 || maxPerAddress < 0 || claim.isNegative()) {
            throw new IllegalArgumentException("bad passive port range " + min + ".." + max);
        }
        this.claimNanos = claim.toNanos();
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
    public Listening open(InetAddress address, InetAddress client) throws IOException {
        InetAddress key = PassiveAddress.unmapped(client);
        if (!shared.perAddress.tryAcquire(key, maxPerAddress)) {
            throw new TooManyFromAddress("address " + key.getHostAddress() + " already holds " + maxPerAddress
                    + " passive listeners");
        }
        shared.waiting.incrementAndGet();
        try {
            Listening listening = openIn(address, key);
            shared.unclaimed.add(listening);
            if (claimNanos > 0) {
                Deadlines.shared().watch(listening);
            }
            return listening;
        } catch (IOException | RuntimeException e) {
            shared.perAddress.release(key);
            shared.waiting.decrementAndGet();
            throw e;
        }
    }

    /** Listeners waiting for their data connection now, all addresses together. */
    public int inUse() {
        return shared.waiting.get();
    }

    /** Waiting listeners held by clients of {@code client}'s address. */
    public int held(InetAddress client) {
        return shared.perAddress.held(PassiveAddress.unmapped(client));
    }

    /**
     * A transfer command takes {@code listener} (before it accepts): from now on accept_timeout
     * bounds it, not the claim time, and nobody can take its port over.
     *
     * @return false when it was given back already (claim time over, or taken over): the client
     *         must send PASV again
     */
    public static boolean claim(Listening listener) {
        return listener.claim();
    }

    private Listening openIn(InetAddress address, InetAddress owner) throws IOException {
        if (min == 0) {
            return bindAny(address, owner);
        }
        int size = max - min + 1;
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            int port = min + (start + i) % size;
            if (shared.held.contains(new InetSocketAddress(address, port))) {
                continue; // one of our listeners has it
            }
            try {
                return bind(address, port, owner);
            } catch (BindException inUse) {
                // taken by another process, or by a session just now; try the next one
            }
        }
        // every port is taken: maybe by squatters this client may take one over from
        for (int attempt = 0; attempt < 3; attempt++) {
            Listening victim = takeoverVictim(owner);
            if (victim == null) {
                break;
            }
            if (!victim.giveBack(State.TAKEN_OVER)) {
                continue; // claimed or expired meanwhile
            }
            LOG.info("passive port {} of {} (holding {}, wasted {}) taken over for {}", victim.port,
                    victim.owner.getHostAddress(), held(victim.owner), String.format("%.1f", wasted(victim.owner)),
                    owner.getHostAddress());
            try {
                Listening taken = bind(address, victim.port, owner);
                if (!taken.bound.equals(victim.bound)) {
                    shared.held.remove(victim.bound); // the victim listened on another local address
                }
                return taken;
            } catch (BindException raced) {
                shared.held.remove(victim.bound); // taken by another process meanwhile: no longer reserved
            }
        }
        throw new BindException("all passive ports " + min + "-" + max + " are in use");
    }

    /**
     * Any free port: a random one of the system's ephemeral range, bound by number, as vsftpd picks
     * its own (privops.c) rather than binding port 0. Given port 0, Linux searches that range for a
     * port no socket is bound to, and after a burst of short transfers each passive port used has
     * left a TIME_WAIT connection behind: with ~12,000 of them, that search took two thirds of the
     * server's CPU in a run of 4 KiB RETRs (issue 15). A port in use makes the bind fail at once;
     * after a few such tries the kernel's own search still finds one.
     */
    private Listening bindAny(InetAddress address, InetAddress owner) throws IOException {
        EphemeralRange range = EphemeralRange.SYSTEM;
        if (range != null) {
            for (int attempt = 0; attempt < ANY_PORT_TRIES; attempt++) {
                int port = range.low() + ThreadLocalRandom.current().nextInt(range.high() - range.low() + 1);
                if (shared.held.contains(new InetSocketAddress(address, port))) {
                    continue; // one of our listeners has it
                }
                try {
                    return bind(address, port, owner);
                } catch (BindException inUse) {
                    // a connection or another listener has it; try another
                }
            }
        }
        return bind(address, 0, owner);
    }

    /** Random ports tried before binding port 0 lets the kernel choose. */
    private static final int ANY_PORT_TRIES = 8;

    /**
     * The ports the kernel hands out for port 0 (Linux: net.ipv4.ip_local_port_range), read once;
     * null elsewhere, where port 0 is bound as before.
     */
    record EphemeralRange(int low, int high) {
        static final EphemeralRange SYSTEM = read(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

        static EphemeralRange read(Path file) {
            try {
                // one line, "low<TAB>high"; readString would trust the size procfs reports and cut it short
                String[] bounds = String.join(" ", Files.readAllLines(file)).strip().split("\\s+");
                int low = Integer.parseInt(bounds[0]);
                int high = Integer.parseInt(bounds[1]);
                return bounds.length == 2 && 0 < low && low <= high && high <= 65535 ? new EphemeralRange(low, high) : null;
            } catch (IOException | RuntimeException e) {
                return null; // not Linux, or not readable here: bind port 0
            }
        }
    }

    private Listening bind(InetAddress address, int port, InetAddress owner) throws IOException {
        Listening socket = new Listening(owner);
        try {
            socket.channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socket.channel.bind(new InetSocketAddress(address, port), 1);
            socket.port = ((InetSocketAddress) socket.channel.getLocalAddress()).getPort();
            socket.bound = new InetSocketAddress(address, socket.port);
            shared.held.add(socket.bound);
            socket.state.set(State.WAITING);
            return socket;
        } catch (IOException e) {
            socket.closeUnbound();
            throw e;
        }
    }

    /**
     * The unclaimed listener in this range to give to {@code taker}: the oldest of the address with
     * the worst standing, if that is at least {@link #TAKEOVER_MARGIN} worse than the taker's.
     */
    private Listening takeoverVictim(InetAddress taker) {
        // the taker's own new listener is counted in held(): leave it out
        double takerStanding = held(taker) - 1 + wasted(taker);
        Map<InetAddress, Double> standing = new HashMap<>();
        Listening worst = null;
        double worstStanding = takerStanding + TAKEOVER_MARGIN;
        for (Listening candidate : shared.unclaimed) {
            if (candidate.owner.equals(taker) || candidate.port < min || candidate.port > max
                    || candidate.state.get() != State.WAITING) {
                continue;
            }
            double s = standing.computeIfAbsent(candidate.owner, a -> held(a) + wasted(a));
            if (s > worstStanding || s == worstStanding && (worst == null || candidate.opened - worst.opened < 0)) {
                worst = candidate;
                worstStanding = s;
            }
        }
        return worst;
    }

    /** Listeners {@code address} let go unused lately (decayed). */
    double wasted(InetAddress address) {
        Waste w = shared.waste.get(address);
        return w == null ? 0 : w.now(System.nanoTime());
    }

    private void wasted(InetAddress address, long now) {
        if (shared.waste.size() >= WASTE_SWEEP_AT) {
            shared.waste.values().removeIf(w -> w.now(now) < 0.01);
        }
        shared.waste.compute(address, (a, w) -> new Waste((w == null ? 0 : w.now(now)) + 1, now));
    }

    private enum State { UNBOUND, WAITING, CLAIMED, CONNECTED, EXPIRED, TAKEN_OVER, CLOSED }

    /**
     * A listener that gives its address's slot back when closed (bind failures give it back too),
     * gives its port back when its claim time is over, and records whether it was used. It is a
     * {@link ServerSocketChannel}, so the data connections it accepts are {@link SocketChannel}s,
     * which zero-copy downloads need (DESIGN.md, "Zero-copy downloads").
     */
    public final class Listening implements Deadlines.Watched, AutoCloseable {
        private final ServerSocketChannel channel;
        final InetAddress owner;
        final long opened = System.nanoTime();
        final AtomicReference<State> state = new AtomicReference<>(State.UNBOUND);
        volatile int port;
        volatile InetSocketAddress bound;

        Listening(InetAddress owner) throws IOException {
            this.channel = ServerSocketChannel.open();
            this.owner = owner;
        }

        /** The port clients connect to (the 227 and 229 replies). */
        public int port() {
            return port;
        }

        /** True once claimed, also when asked again (a transfer that tried {@link #acceptWaiting} first). */
        boolean claim() {
            if (state.compareAndSet(State.WAITING, State.CLAIMED)) {
                shared.unclaimed.remove(this);
                Deadlines.shared().forget(this);
                return true;
            }
            return state.get() == State.CLAIMED;
        }

        @Override
        public long deadline() {
            return state.get() == State.WAITING ? opened + claimNanos : Deadlines.NEVER;
        }

        @Override
        public boolean expire() {
            if (giveBack(State.EXPIRED)) {
                LOG.info("passive port {} of {} given back: no transfer command within {} ms", port,
                        owner.getHostAddress(), claimNanos / 1_000_000);
            }
            return true;
        }

        /** Closes a listener nobody has claimed; false when it was claimed (or closed) first. */
        boolean giveBack(State why) {
            if (!state.compareAndSet(State.WAITING, why)) {
                return false;
            }
            closeQuietly();
            return true;
        }

        @Override
        public void close() throws IOException {
            State before = state.getAndUpdate(s -> s == State.WAITING || s == State.CLAIMED || s == State.CONNECTED
                    ? State.CLOSED : s);
            try {
                channel.close();
            } finally {
                if (before == State.WAITING || before == State.CLAIMED || before == State.CONNECTED) {
                    released(before);
                }
            }
        }

        private void closeQuietly() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a listener that will not close has nothing more to give back
            }
            released(State.WAITING);
        }

        /** Once per listener: gives back the address's slot and records whether it was used. */
        private void released(State last) {
            if (state.get() != State.TAKEN_OVER) {
                // a port taken over stays reserved for its taker, or squatters re-sending PASV grab it first
                shared.held.remove(bound);
            }
            shared.unclaimed.remove(this);
            Deadlines.shared().forget(this);
            shared.perAddress.release(owner);
            shared.waiting.decrementAndGet();
            if (last != State.CONNECTED) {
                wasted(owner, System.nanoTime()); // unclaimed, or claimed and never connected to
            }
        }

        /** After a failed bind (nothing to give back: the caller gives the address's slot back). */
        void closeUnbound() {
            state.set(State.CLOSED);
            try {
                channel.close();
            } catch (IOException ignored) {
                // never bound: nothing to release
            }
        }

        /**
         * The client's data connection if it is already waiting in the backlog (clients connect
         * before they send the transfer command), without waiting; null when it has not come yet,
         * and the listener is left as it was for {@link #accept}.
         */
        SocketChannel acceptWaiting() throws IOException {
            channel.configureBlocking(false);
            SocketChannel socket = channel.accept();
            if (socket == null) {
                channel.configureBlocking(true); // the socket adaptor's timed accept needs blocking mode
                return null;
            }
            state.compareAndSet(State.CLAIMED, State.CONNECTED);
            return socket;
        }

        /**
         * The client's data connection, within {@code timeoutMillis} (accept_timeout; 0 waits for
         * ever). The channel's socket adaptor parks the virtual thread with the timeout.
         */
        SocketChannel accept(int timeoutMillis) throws IOException {
            channel.socket().setSoTimeout(timeoutMillis);
            SocketChannel socket = channel.socket().accept().getChannel();
            state.compareAndSet(State.CLAIMED, State.CONNECTED); // used, not wasted
            return socket;
        }
    }
}
