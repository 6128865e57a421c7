package dev.ferry.relay;

import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Bytes read from one side, released to the other at {@code due} (a nanoTime). {@code sequence}
 * breaks ties, because DelayQueue is a heap and would otherwise reorder chunks due at the same
 * nanosecond. An empty {@code bytes} array with {@code end} set is the sender's end of stream.
 */
record Chunk(byte[] bytes, long due, long sequence, boolean end) implements Delayed {

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        Chunk that = (Chunk) other;
        int byDue = Long.compare(due - that.due, 0);
        return byDue != 0 ? byDue : Long.compare(sequence, that.sequence);
    }
}
