package dev.ferry.bench;

import dev.ferry.server.transfer.RateLimiter;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ferry's rate limiter on its own, through its public API ({@link RateLimiter#of}, the factory
 * the server uses). Run it with {@code -t 1}, {@code -t 8} and {@code -t 64}: per-session buckets
 * are one per thread, the global bucket is one for all threads.
 *
 * <ul>
 * <li>{@code unlimited}: the cost paid per copy-loop chunk by a session without a limit.
 * <li>{@code ownBucketOverhead} / {@code sharedBucketOverhead}: a bucket too fast to ever sleep
 * ({@link #NEVER_SLEEPS} with {@link #TINY} acquires round to a cost of 0 ns), so the figure is
 * the clock read and the compare-and-set, and, when shared, their contention.
 * <li>{@code ownBucketRate} / {@code sharedBucketRate}: buckets of {@link #RATE} acquired in their
 * own chunk size; the {@code bytes} counter is the achieved rate, to set against the configured
 * one ({@code RATE} per thread for own buckets, {@code RATE} in all for the shared one).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class RateLimiterBenchmark {

    /** The configured rate of the sleeping buckets: 16 MiB/s. */
    public static final long RATE = 16L * 1024 * 1024;
    /** 100 GB/s: the largest rate whose chunk arithmetic stays in a long. */
    static final long NEVER_SLEEPS = 100_000_000_000L;
    static final long TINY = 64;
    /** What the copy loop asks for when unlimited: its buffer. */
    static final long COPY_CHUNK = 64 * 1024;

    private final RateLimiter sharedFast = RateLimiter.of(NEVER_SLEEPS);
    private final RateLimiter sharedLimited = RateLimiter.of(RATE);

    @State(Scope.Thread)
    public static class Own {
        final RateLimiter fast = RateLimiter.of(NEVER_SLEEPS);
        final RateLimiter limited = RateLimiter.of(RATE);
    }

    /** Bytes granted, reported by JMH as a rate: bytes/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Granted {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Benchmark
    public void unlimited() throws InterruptedIOException {
        RateLimiter.UNLIMITED.acquire(COPY_CHUNK);
    }

    @Benchmark
    public void ownBucketOverhead(Own own) throws InterruptedIOException {
        own.fast.acquire(TINY);
    }

    @Benchmark
    public void sharedBucketOverhead() throws InterruptedIOException {
        sharedFast.acquire(TINY);
    }

    @Benchmark
    public void ownBucketRate(Own own, Granted granted) throws InterruptedIOException {
        int chunk = own.limited.chunk();
        own.limited.acquire(chunk);
        granted.bytes += chunk;
    }

    @Benchmark
    public void sharedBucketRate(Granted granted) throws InterruptedIOException {
        int chunk = sharedLimited.chunk();
        sharedLimited.acquire(chunk);
        granted.bytes += chunk;
    }
}
