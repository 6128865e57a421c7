package dev.ferry.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One part of a read-ahead: a lane fills it from a ranged GET while the download reads what has
 * arrived, so the first bytes go out before the part is complete. The lane writes only past
 * {@code filled} and the reader reads only before it, and {@code filled} moves under the lock:
 * the lock orders the two without copying.
 */
final class PartBuffer {

    private final byte[] bytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private int length;
    private int filled;
    private IOException failure;

    PartBuffer(int capacity) {
        this.bytes = new byte[capacity];
    }

    /** Makes the buffer ready for a part of {@code length} bytes; the previous one must be consumed. */
    void reset(int length) {
        lock.lock();
        try {
            this.length = length;
            this.filled = 0;
            this.failure = null;
        } finally {
            lock.unlock();
        }
    }

    /** Lane side: reads the part from {@code in} until it is complete. */
    void fill(InputStream in) throws IOException {
        int at = 0;
        int total;
        lock.lock();
        try {
            total = length;
        } finally {
            lock.unlock();
        }
        while (at < total) {
            int n = in.read(bytes, at, total - at);
            if (n < 0) {
                throw new IOException("the part ended " + (total - at) + " bytes early");
            }
            at += n;
            lock.lock();
            try {
                filled = at;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Lane side: the part cannot be had; the reader gets {@code e} when it gets here. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reader side: copies bytes from {@code position} of the part into {@code dst}, waiting until
     * some have arrived. Returns how many.
     */
    int read(ByteBuffer dst, int position) throws IOException {
        int available;
        lock.lock();
        try {
            while (filled <= position && failure == null) {
                changed.await();
            }
            if (filled <= position) {
                throw new IOException(failure.getMessage(), failure);
            }
            available = filled - position;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for S3");
        } finally {
            lock.unlock();
        }
        int n = Math.min(available, dst.remaining());
        dst.put(bytes, position, n);
        return n;
    }
}
