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
 * <p>The schedule is absolute, so a sleep that overshoots is made up by the next reservation and
 * errors do not add up over a long transfer. An idle bucket refills to {@link #chunk()} bytes: a
 * transfer starts at once, and over {@code n} bytes it runs {@code (n - chunk) / rate} seconds.
 */
public final class TokenBucket implements RateLimiter {

    /** One sleep lasts at most this long, so ABOR and stop are never kept waiting. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The largest piece worth moving at once (Copier's buffer size). */
    private static final int MAX_CHUNK = Copier.BUFFER_SIZE;

    private final long bytesPerSecond;
    private final double nanosPerByte;
    private final int chunk;
    private final long burstNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final AtomicLong paidUntil;

    /** How a caller waits; tests replace it to check the computed pause. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    TokenBucket(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    TokenBucket(long bytesPerSecond, LongSupplier clock, Sleeper sleeper) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.chunk = (int) Math.max(1, Math.min(MAX_CHUNK, bytesPerSecond * MAX_PAUSE_NANOS / 1_000_000_000L));
        this.burstNanos = (long) (chunk * nanosPerByte);
        this.clock = clock;
        this.sleeper = sleeper;
        this.paidUntil = new AtomicLong(clock.getAsLong() - burstNanos);
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
            // an idle bucket holds at most one chunk of credit
            next = Math.max(previous, now - burstNanos) + cost;
        } while (!paidUntil.compareAndSet(previous, next));
        long deficit = next - now;
        if (deficit > 0) {
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
