package dev.ferry.storage.s3;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The wait before a transfer's next attempt: exponential from 100 ms to 5 s, with jitter so
 * that the parts of many transfers that broke together do not come back together (the SDK's
 * standard retry mode waits the same way).
 */
final class Backoff {

    private static final long BASE_MILLIS = 100;
    private static final long CAP_MILLIS = 5_000;

    private Backoff() {
    }

    /**
     * Runs an idempotent request, again after each failure S3Errors calls retryable, up to
     * {@code attempts} more times. The request body must be replayable (parts come from their
     * buffer). The last failure, or the first that is not worth repeating, is thrown.
     */
    static <T> T retry(int attempts, Supplier<T> request) {
        for (int failures = 1; ; failures++) {
            try {
                return request.get();
            } catch (SdkException e) {
                if (failures > attempts || !S3Errors.isRetryable(e)) {
                    throw e;
                }
                try {
                    pause(failures);
                } catch (InterruptedIOException interrupted) {
                    throw e;
                }
            }
        }
    }

    /** Sleeps before attempt {@code failures + 1}; {@code failures} counts from 1. */
    static void pause(int failures) throws InterruptedIOException {
        long ceiling = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(failures, 16));
        long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to try S3 again");
        }
    }
}
