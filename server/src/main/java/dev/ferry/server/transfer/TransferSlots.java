package dev.ferry.server.transfer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * max_transfers: data transfers running at once on the whole server. A transfer over the limit is
 * refused before its data connection opens, so the client gets a reply it can retry instead of a
 * connection that hangs; its session goes on.
 */
public final class TransferSlots {

    /** The reply text of a refused transfer (425: no data connection was made, try again). */
    public static final String BUSY = "Too many transfers in progress, please try later.";

    private final int max;
    private final AtomicInteger running = new AtomicInteger();

    /** {@code max} 0 means no limit. */
    public TransferSlots(int max) {
        this.max = max;
    }

    /** Takes a slot; the caller gives it back with {@link #release} once the transfer ends. */
    public boolean tryAcquire() {
        while (true) {
            int now = running.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (running.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void release() {
        running.decrementAndGet();
    }

    public int running() {
        return running.get();
    }
}
