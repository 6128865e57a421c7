package dev.ferry.server.transfer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * data_connection_timeout for writes as well as reads: a blocked socket write never times out on
 * its own, so one timer thread for the whole server closes data connections whose byte counter has
 * not moved for the timeout (vsftpd arms an alarm per transfer; a thread per session would defeat
 * virtual threads).
 */
public final class StallWatchdog implements AutoCloseable {

    private final Set<Transfer> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final long timeoutNanos;

    public StallWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-stall-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
        // one check every quarter of the timeout (at most a second apart): a stall is cut within 25% of it
        timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void watch(Transfer transfer) {
        transfer.progress().restartClock();
        watched.add(transfer);
    }

    void forget(Transfer transfer) {
        watched.remove(transfer);
    }

    private void check() {
        if (timeoutNanos == 0) {
            return; // data_connection_timeout=0: never
        }
        for (Transfer transfer : watched) {
            if (transfer.progress().idleNanos() > timeoutNanos) {
                watched.remove(transfer);
                transfer.stop(Transfer.StopReason.STALLED);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
