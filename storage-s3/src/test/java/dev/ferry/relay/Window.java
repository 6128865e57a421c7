package dev.ferry.relay;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes one direction of one connection may have in flight. The reader takes credit before it
 * accepts bytes from the sender; the writer gives it back one delay after delivering them, when the
 * acknowledgement would reach the sender. The sender's socket then fills and TCP stops it, so a
 * connection moves at most {@code size} bytes per round trip, like a real one.
 */
final class Window {

    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Credits on their way back: {due nanoTime, bytes}, in due order. */
    private final ArrayDeque<long[]> returning = new ArrayDeque<>();
    private long available;

    /** {@code size} 0: unbounded, every call returns at once. */
    Window(long size) {
        this.size = size;
        this.available = size;
    }

    /** Takes between 1 and {@code wanted} bytes of credit, waiting until some is back. */
    int take(int wanted) throws InterruptedException {
        if (size == 0) {
            return wanted;
        }
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                while (!returning.isEmpty() && returning.peekFirst()[0] - now <= 0) {
                    available += returning.removeFirst()[1];
                }
                if (available > 0) {
                    int granted = (int) Math.min(wanted, available);
                    available -= granted;
                    return granted;
                }
                if (returning.isEmpty()) {
                    changed.await();
                } else {
                    changed.awaitNanos(returning.peekFirst()[0] - now);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives back credit the reader took but did not use. */
    void unused(int bytes) {
        giveBack(bytes, System.nanoTime());
    }

    /** Gives back {@code bytes} of credit at {@code dueNanos}. */
    void giveBack(int bytes, long dueNanos) {
        if (size == 0 || bytes == 0) {
            return;
        }
        lock.lock();
        try {
            returning.addLast(new long[] {dueNanos, bytes});
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
