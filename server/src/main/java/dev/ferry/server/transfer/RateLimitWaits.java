package dev.ferry.server.transfer;

/**
 * Told of every pause a {@link TokenBucket} makes (metrics: rate-limit waits). Called only when a
 * caller actually sleeps, with the pause as computed, so an unlimited or fast transfer never pays.
 */
@FunctionalInterface
public interface RateLimitWaits {

    /** Nobody listens. */
    RateLimitWaits NONE = nanos -> { };

    void waited(long nanos);
}
