package dev.ferry.relay;

import java.time.Duration;

/**
 * The path the relay puts between client and server.
 *
 * @param oneWayDelay how long every byte takes to cross, each way (half the round trip)
 * @param window      bytes one connection may have in flight per direction before the sender must
 *                    wait for the far side to acknowledge them, as TCP's receive window does; a
 *                    credit comes back one delay after its bytes were delivered, so one connection
 *                    moves at most window / round trip. 0: no window (only the delay)
 * @param bandwidth   bytes per second per direction for all connections together (one shared
 *                    link); 0: no cap
 */
public record Link(Duration oneWayDelay, long window, long bandwidth) {

    /** A 2 MiB window: 52 MB/s per connection at 40 ms, the order of one S3 connection at a distance. */
    public static final long DEFAULT_WINDOW = 2L << 20;

    public Link {
        if (oneWayDelay.isNegative() || window < 0 || bandwidth < 0) {
            throw new IllegalArgumentException("delay, window and bandwidth cannot be negative");
        }
    }

    /** A link of round trip {@code rtt} with the default window and no bandwidth cap. */
    public static Link roundTrip(Duration rtt) {
        return new Link(rtt.dividedBy(2), DEFAULT_WINDOW, 0);
    }

    /** No delay, no window, no cap: the relay only copies (and can still inject faults). */
    public static Link direct() {
        return new Link(Duration.ZERO, 0, 0);
    }

    public Duration roundTrip() {
        return oneWayDelay.multipliedBy(2);
    }
}
