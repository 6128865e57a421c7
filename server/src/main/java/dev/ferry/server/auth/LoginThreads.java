package dev.ferry.server.auth;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads for login checks that block inside native code. A PAM conversation runs in
 * libpam, where pam_unix sleeps about two seconds after a wrong password (pam_fail_delay) and
 * other modules may wait on the network: on a virtual thread that would hold its carrier the
 * whole time (a native frame pins it), so a few failed logins would stall every session. Here the
 * session's virtual thread only parks on a {@link Future} while a platform thread does the work.
 *
 * <p>Bounded twice: at most {@link #THREADS} checks run at once and {@link #QUEUED} wait; a login
 * beyond that, or one that takes longer than its timeout, is {@link LoginResult.Unavailable}
 * (421), never a 530 that would read as a wrong password. A check that times out keeps its thread
 * until the native call returns (native code cannot be interrupted), which the bound caps.
 */
public final class LoginThreads {

    static final int THREADS = 16;
    static final int QUEUED = 256;

    private final ThreadPoolExecutor executor;

    LoginThreads(int threads, int queued) {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                task -> Thread.ofPlatform().daemon().name("ferry-login-" + count.incrementAndGet()).unstarted(task),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * The threads of one server configuration ({@link LoginSources}): two servers in one JVM, and
     * each configuration a reload makes, have their own, so one cannot use up the other's.
     */
    LoginThreads() {
        this(THREADS, QUEUED);
    }

    /**
     * Refuses new checks; those running or queued finish (a native call cannot be stopped). Idle
     * threads end on their own after a minute in any case, so a configuration a reload replaced
     * needs no close.
     */
    void close() {
        executor.shutdown();
    }

    /** Runs {@code check} on a login thread and waits for it at most {@code timeout}. */
    LoginResult run(Callable<LoginResult> check, Duration timeout) {
        Future<LoginResult> future;
        try {
            future = executor.submit(check);
        } catch (RejectedExecutionException e) {
            return new LoginResult.Unavailable("too many logins are being checked at once");
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new LoginResult.Unavailable("the login check took longer than " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new LoginResult.Unavailable("the login check failed: " + e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new LoginResult.Unavailable("interrupted while the login was checked");
        }
    }
}
