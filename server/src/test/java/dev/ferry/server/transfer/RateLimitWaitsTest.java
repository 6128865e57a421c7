package dev.ferry.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a token bucket reports to the metrics: each pause it makes, as long as it sleeps, and nothing else. */
class RateLimitWaitsTest {

    @Test
    void everyPauseIsReportedWithTheTimeSlept() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        List<Long> sleeps = new ArrayList<>();
        List<Long> reported = new ArrayList<>();
        TokenBucket bucket = new TokenBucket(1_000_000, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        }, reported::add);
        bucket.acquire(20_000); // the first chunk is credit: no pause, nothing reported
        assertEquals(List.of(), reported);
        bucket.acquire(10_000);
        bucket.acquire(5_000);
        assertEquals(List.of(10_000_000L, 5_000_000L), sleeps);
        assertEquals(sleeps, reported);
    }

    @Test
    void anUnlimitedLimiterNeverReports() throws Exception {
        List<Long> reported = new ArrayList<>();
        RateLimiter limiter = RateLimiter.of(0, reported::add);
        for (int i = 0; i < 1000; i++) {
            limiter.acquire(1_000_000);
        }
        assertEquals(List.of(), reported);
    }
}
