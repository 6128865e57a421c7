package dev.ferry.server.transfer;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket kept as one number, the time at which everything granted so far is paid for
 * (the "theoretical arrival time" of the generic cell rate algorithm). A caller reserves its bytes
 * with one compare-and-set and then sleeps its own deficit, exactly, like vsftpd's computed pause
 * and unlike a poll: no lock is held while it sleeps, and callers sharing one bucket are served in
 * the order they reserved, which shares a global limit fairly between sessions.
 *
 * <p>The schedule is absolute: a sleep that overshoots (a busy machine wakes a thread late) is
 * made up by the following reservations, up to {@link #CATCH_UP_NANOS} behind schedule, so errors
 * do not add up over a long transfer. Over any span of {@code t} seconds at most
 * {@code rate * (t + 0.25)} bytes pass. A new bucket holds one {@link #chunk()} of credit: a
 * transfer starts at once, and over {@code n} bytes it runs {@code (n - chunk) / rate} seconds.
 */
public final class TokenBucket implements RateLimiter {

    /** One sleep lasts at most this long, so ABOR and stop are never kept waiting. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How far behind schedule a caller may fall and still be let through to catch up. */
    static final long CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** paidUntil of a bucket nobody has used yet: its first caller starts the schedule. */
    private static final long FRESH = Long.MIN_VALUE;
    /** The largest piece worth moving at once (Copier's buffer size). */
    private static final int MAX_CHUNK = Copier.BUFFER_SIZE;

    private final long bytesPerSecond;
    private final double nanosPerByte;
    private final int chunk;
    private final long burstNanos;
    private final long catchUpNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final AtomicLong paidUntil;
    private final RateLimitWaits waits;

    /** How a caller waits; tests replace it to check the computed pause. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    TokenBucket(long bytesPerSecond, RateLimitWaits waits) {
        this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep, waits);
    }

    TokenBucket(long bytesPerSecond, LongSupplier clock, Sleeper sleeper) {
        this(bytesPerSecond, clock, sleeper, RateLimitWaits.NONE);
    }

    TokenBucket(long bytesPerSecond, LongSupplier clock, Sleeper sleeper, RateLimitWaits waits) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.chunk = (int) Math.max(1, Math.min(MAX_CHUNK, bytesPerSecond * MAX_PAUSE_NANOS / 1_000_000_000L));
        this.burstNanos = (long) (chunk * nanosPerByte);
        this.clock = clock;
        this.sleeper = sleeper;
        this.waits = waits;
        this.catchUpNanos = Math.max(burstNanos, CATCH_UP_NANOS);
        // fresh until first used, so the time before the first byte (the client opening the data
        // connection) is not credit
        this.paidUntil = new AtomicLong(FRESH);
    }

    @Override
    public void acquire(long bytes) throws InterruptedIOException {
        if (bytes <= 0) {
            return;
        }
        long cost = (long) (bytes * nanosPerByte);
        long now = clock.getAsLong();
        long previous;
        long next;
        do {
            previous = paidUntil.get();
            long start = previous == FRESH ? now - burstNanos : Math.max(previous, now - catchUpNanos);
            next = start + cost;
        } while (!paidUntil.compareAndSet(previous, next));
        long deficit = next - now;
        if (deficit > 0) {
            waits.waited(deficit);
            try {
                sleeper.sleep(deficit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while rate limited");
            }
        }
    }

    @Override
    public int chunk() {
        return chunk;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    @Override
    public String toString() {
        return bytesPerSecond + " B/s";
    }
}
