package dev.ferry.server.transfer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes moved so far by one transfer, and when they last moved: STAT reports the first, the
 * stall watchdog reads the second.
 */
public final class Progress {

    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastMoveNanos = System.nanoTime();

    public void add(long count) {
        bytes.addAndGet(count);
        lastMoveNanos = System.nanoTime();
    }

    public long bytes() {
        return bytes.get();
    }

    public long idleNanos() {
        return System.nanoTime() - lastMoveNanos;
    }
}
