package dev.ferry.storage.s3;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The read-ahead buffers of the whole storage, counted in parts of s3_read_part_size. A download
 * takes what is free now and never waits: with fewer than two it reads with one GET instead, so
 * a burst of downloads degrades to single streams rather than queueing behind each other.
 */
final class ReadBudget {

    private final Semaphore parts;

    ReadBudget(S3Config.ReadAhead readAhead) {
        long count = readAhead.enabled() ? readAhead.memory() / readAhead.partSize() : 0;
        this.parts = new Semaphore((int) Math.min(Integer.MAX_VALUE, count));
    }

    /** Up to {@code wanted} buffers (at least two, or none); close the lease to give them back. */
    Lease lease(int wanted) {
        for (int n = wanted; n >= 2; n--) {
            if (parts.tryAcquire(n)) {
                return new Lease(n);
            }
        }
        return new Lease(0);
    }

    /** Buffers free now (for tests and metrics). */
    int available() {
        return parts.availablePermits();
    }

    final class Lease implements AutoCloseable {
        private final int buffers;
        private final AtomicBoolean returned = new AtomicBoolean();

        private Lease(int buffers) {
            this.buffers = buffers;
        }

        int buffers() {
            return buffers;
        }

        @Override
        public void close() {
            if (buffers > 0 && returned.compareAndSet(false, true)) {
                parts.release(buffers);
            }
        }
    }
}
