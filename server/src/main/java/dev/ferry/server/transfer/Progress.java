package dev.ferry.server.transfer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes moved so far by one transfer, and when they last moved: STAT and the logs report the
 * first, the stall watchdog reads the second.
 */
public final class Progress {

    private final AtomicLong bytes = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long lastMoveNanos = startNanos;

    public void add(long count) {
        bytes.addAndGet(count);
        lastMoveNanos = System.nanoTime();
    }

    /**
     * Starts the stall clock now: the time the client took to open the data connection is bounded
     * by the accept/connect timeout, not by data_connection_timeout (vsftpd arms that alarm only
     * once the data connection is up).
     */
    void restartClock() {
        lastMoveNanos = System.nanoTime();
    }

    public long bytes() {
        return bytes.get();
    }

    public long idleNanos() {
        return System.nanoTime() - lastMoveNanos;
    }

    /** Nanoseconds since the transfer started. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** The average rate so far in bytes per second. */
    public double bytesPerSecond() {
        long elapsed = Math.max(1, elapsedNanos());
        return bytes() * 1e9 / elapsed;
    }
}
