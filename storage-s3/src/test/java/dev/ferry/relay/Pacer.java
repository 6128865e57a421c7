package dev.ferry.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A shared link of fixed bandwidth in one direction: each chunk reserves its serialisation time
 * after the previous one's, whichever connection sent it.
 */
final class Pacer {

    private final long bytesPerSecond;
    private final AtomicLong freeAt = new AtomicLong(System.nanoTime());

    /** 0: unlimited. */
    Pacer(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The nanoTime at which the last of {@code bytes} has left the sending end. */
    long reserve(int bytes, long now) {
        if (bytesPerSecond == 0) {
            return now;
        }
        long duration = bytes * 1_000_000_000L / bytesPerSecond;
        while (true) {
            long free = freeAt.get();
            long start = free - now > 0 ? free : now;
            long end = start + duration;
            if (freeAt.compareAndSet(free, end)) {
                return end;
            }
        }
    }
}
