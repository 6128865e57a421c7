package dev.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code count} tasks on virtual threads, at most {@code parallelism} at a time, and gives up
 * waiting at a deadline (the tasks' own socket timeouts end them soon after).
 */
final class Parallel {

    /** One task, told its index. */
    @FunctionalInterface
    interface Task {
        void run(int index) throws Exception;
    }

    /** How a batch went: tasks that returned normally, and the first failure, if any. */
    record Outcome(int succeeded, int failed, String firstFailure) {
    }

    private Parallel() {
    }

    static Outcome run(int count, int parallelism, Duration limit, Task task) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Semaphore permits = new Semaphore(parallelism);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> first = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            int index = i;
            threads.add(Thread.ofVirtual().name("load-", i).start(() -> {
                try {
                    task.run(index);
                    succeeded.incrementAndGet();
                } catch (Exception e) {
                    failed.incrementAndGet();
                    first.compareAndSet(null, e.toString());
                } finally {
                    permits.release();
                }
            }));
        }
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                break;
            }
        }
        return new Outcome(succeeded.get(), failed.get(), first.get());
    }
}
