package dev.ferry.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pauses the bucket computes, on a clock the test moves. */
class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();

    /** A bucket whose sleeps advance the fake clock by exactly what was asked. */
    private TokenBucket bucket(long rate) {
        return new TokenBucket(rate, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
    }

    @Test
    void anIdleBucketGrantsOneChunkAtOnceThenSleepsTheExactDeficit() throws Exception {
        TokenBucket bucket = bucket(1_000_000); // 1 MB/s: 1 us per byte, chunks of 20 ms = 20 000 bytes
        assertEquals(20_000, bucket.chunk());
        bucket.acquire(20_000);
        assertEquals(List.of(), sleeps);
        bucket.acquire(10_000);
        assertEquals(List.of(10_000_000L), sleeps);
        bucket.acquire(5_000);
        assertEquals(List.of(10_000_000L, 5_000_000L), sleeps);
    }

    @Test
    void aLongTransferTakesItsSizeOverTheRateLessOneChunk() throws Exception {
        TokenBucket bucket = bucket(2 * 1024 * 1024);
        long start = now.get();
        long size = 10L * 1024 * 1024;
        for (long done = 0; done < size; done += bucket.chunk()) {
            bucket.acquire(Math.min(bucket.chunk(), size - done));
        }
        double seconds = (now.get() - start) / 1e9;
        assertEquals(5.0 - bucket.chunk() / (2.0 * 1024 * 1024), seconds, 1e-6);
    }

    @Test
    void oversleepingIsMadeUpByTheNextReservation() throws Exception {
        TokenBucket bucket = new TokenBucket(1_000_000, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos + 3_000_000); // every sleep runs 3 ms late
        });
        bucket.acquire(20_000);
        bucket.acquire(10_000); // due in 10 ms, wakes at 13 ms
        bucket.acquire(10_000); // due at 20 ms: only 7 ms more
        assertEquals(List.of(10_000_000L, 7_000_000L), sleeps);
    }

    @Test
    void aCallerFarBehindScheduleCatchesUpAtMostAQuarterSecond() throws Exception {
        TokenBucket bucket = bucket(1_000_000);
        bucket.acquire(20_000);
        now.addAndGet(1_000_000_000L); // a second without traffic
        bucket.acquire(250_000); // 250 ms of credit
        bucket.acquire(10_000);
        assertEquals(List.of(10_000_000L), sleeps);
    }

    @Test
    void unlimitedIsOneSharedNoOp() throws Exception {
        assertSame(RateLimiter.UNLIMITED, RateLimiter.of(0));
        assertSame(RateLimiter.UNLIMITED, RateLimiter.all(RateLimiter.UNLIMITED, RateLimiter.of(0)));
        RateLimiter.UNLIMITED.acquire(Long.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, RateLimiter.UNLIMITED.chunk());
        RateLimiter one = RateLimiter.of(100);
        assertSame(one, RateLimiter.all(RateLimiter.UNLIMITED, one));
        RateLimiter both = RateLimiter.all(one, RateLimiter.of(1_000_000));
        assertTrue(both instanceof RateLimiter.Chain);
        assertEquals(2, both.chunk()); // 100 B/s: 20 ms is 2 bytes
    }
}
