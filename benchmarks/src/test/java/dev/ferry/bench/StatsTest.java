package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankWithoutInterpolation() {
        Stats stats = new Stats(new long[] {4, 1, 3, 2});
        assertEquals(2, stats.percentile(50));
        assertEquals(4, stats.percentile(99));
        assertEquals(4, stats.percentile(100));
        assertEquals(1, stats.percentile(1));
    }

    @Test
    void p99OfAHundredIsTheNinetyNinthSmallest() {
        Stats stats = new Stats(LongStream.rangeClosed(1, 100).toArray());
        assertEquals(99, stats.percentile(99));
        assertEquals(50, stats.percentile(50));
    }

    @Test
    void emptySampleHasNoPercentiles() {
        assertTrue(Double.isNaN(new Stats(new long[0]).percentile(50)));
    }

    @Test
    void percentileOutsideRangeIsRefused() {
        Stats stats = new Stats(new long[] {1});
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(101));
    }

    @Test
    void doesNotReorderTheCallersArray() {
        long[] values = {3, 1, 2};
        new Stats(values);
        assertEquals(3, values[0]);
    }
}
