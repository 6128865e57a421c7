package dev.ferry.server.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines for what a socket read timeout cannot bound: a command line or a login that a client
 * drips one byte at a time (every byte restarts SO_TIMEOUT), and a passive listener that no transfer
 * command claims. One timer thread for the whole JVM sweeps every watched deadline ten times a
 * second; an expired one is told on that thread, and must act without blocking (set a flag,
 * shut a socket's input, close a listener). No thread per connection, and arming a deadline is a
 * volatile write, so a command costs no timer queue operation.
 */
public final class Deadlines {

    /** Something with a deadline. */
    public interface Watched {
        /** The {@link System#nanoTime} at which it expires; {@link #NEVER} while it has none. */
        long deadline();

        /**
         * Called when the deadline has passed, on the timer thread: must not block. Returns whether
         * it is over; false (it moved its deadline, say) keeps it watched.
         */
        boolean expire();
    }

    /** A deadline that never comes. */
    public static final long NEVER = Long.MAX_VALUE;

    /** How often deadlines are checked: an expiry is acted on at most this late. */
    static final long PERIOD_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

    private static final Deadlines SHARED = new Deadlines();

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    private Deadlines() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The one sweeper of this JVM (servers started in one JVM, as in tests, share it). */
    public static Deadlines shared() {
        return SHARED;
    }

    public void watch(Watched deadline) {
        watched.add(deadline);
    }

    public void forget(Watched deadline) {
        watched.remove(deadline);
    }

    /** How many deadlines are watched now (for tests). */
    int size() {
        return watched.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watched w : watched) {
            long deadline = w.deadline();
            if (deadline != NEVER && now - deadline >= 0) {
                boolean over = true;
                try {
                    over = w.expire();
                } catch (RuntimeException e) {
                    // one failing deadline must not stop the timer (a thrown exception cancels it)
                    LOG.warn("deadline expiry failed", e);
                }
                if (over) {
                    watched.remove(w);
                }
            }
        }
    }
}
