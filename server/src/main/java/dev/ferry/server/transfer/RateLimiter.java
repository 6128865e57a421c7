package dev.ferry.server.transfer;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes per second for a stream of transfers (DESIGN.md, Rate limiting). Callers move at most
 * {@link #chunk()} bytes between two {@link #acquire} calls, so one sleep stays short: an ABOR or
 * the stall watchdog never waits behind a long pause.
 */
public sealed interface RateLimiter permits RateLimiter.Unlimited, TokenBucket, RateLimiter.Chain {

    /** No limit: never reads the clock, never sleeps. */
    RateLimiter UNLIMITED = new Unlimited();

    /** Waits until {@code bytes} more may move. */
    void acquire(long bytes) throws InterruptedIOException;

    /** The most bytes a caller should move per {@link #acquire}. */
    int chunk();

    /** A bucket of {@code bytesPerSecond}; 0 or less is {@link #UNLIMITED}. */
    static RateLimiter of(long bytesPerSecond) {
        return of(bytesPerSecond, RateLimitWaits.NONE);
    }

    /** A bucket of {@code bytesPerSecond} that tells {@code waits} of each pause; 0 or less is {@link #UNLIMITED}. */
    static RateLimiter of(long bytesPerSecond, RateLimitWaits waits) {
        return bytesPerSecond <= 0 ? UNLIMITED : new TokenBucket(bytesPerSecond, waits);
    }

    /**
     * All of {@code limiters} at once (a session's own limit, then the shared global ones): each
     * is asked in turn, so the slowest one sets the pace. Unlimited members drop out.
     */
    static RateLimiter all(RateLimiter... limiters) {
        List<RateLimiter> limited = new ArrayList<>();
        for (RateLimiter limiter : limiters) {
            if (limiter instanceof Chain chain) {
                limited.addAll(chain.members());
            } else if (limiter != UNLIMITED) {
                limited.add(limiter);
            }
        }
        return switch (limited.size()) {
            case 0 -> UNLIMITED;
            case 1 -> limited.getFirst();
            default -> new Chain(List.copyOf(limited));
        };
    }

    /** The no-op limiter. */
    final class Unlimited implements RateLimiter {
        private Unlimited() {
        }

        @Override
        public void acquire(long bytes) {
        }

        @Override
        public int chunk() {
            return Integer.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "unlimited";
        }
    }

    /** Several limits that all apply. */
    record Chain(List<RateLimiter> members) implements RateLimiter {
        @Override
        public void acquire(long bytes) throws InterruptedIOException {
            for (RateLimiter member : members) {
                member.acquire(bytes);
            }
        }

        @Override
        public int chunk() {
            int chunk = Integer.MAX_VALUE;
            for (RateLimiter member : members) {
                chunk = Math.min(chunk, member.chunk());
            }
            return chunk;
        }
    }
}
