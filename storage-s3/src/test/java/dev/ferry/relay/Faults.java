package dev.ferry.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The armed byte-counting faults of one relay, and which chunk of which connection trips them. */
final class Faults {

    /** What the writer does at {@code offset} bytes into the chunk it is about to deliver. */
    sealed interface Action {
        int offset();
    }

    record ResetAt(int offset) implements Action {
    }

    record StallAt(int offset, Duration time) implements Action {
    }

    /** One armed fault: how many more connections it may hit, and what each has delivered so far. */
    private record Armed(Direction direction, long afterBytes, AtomicInteger left, Duration stall,
                         ConcurrentHashMap<Long, AtomicLong> delivered) {
    }

    private final List<Armed> armed = new CopyOnWriteArrayList<>();
    private final AtomicInteger tripped = new AtomicInteger();

    void arm(Fault.Reset reset) {
        armed.add(new Armed(reset.direction(), reset.afterBytes(), new AtomicInteger(reset.connections()), null,
                new ConcurrentHashMap<>()));
    }

    void arm(Fault.Stall stall) {
        armed.add(new Armed(stall.direction(), stall.afterBytes(), new AtomicInteger(1), stall.time(),
                new ConcurrentHashMap<>()));
    }

    void clear() {
        armed.clear();
    }

    /** How many connections a fault has hit so far. */
    int tripped() {
        return tripped.get();
    }

    /**
     * Called before connection {@code id} delivers {@code length} bytes in {@code direction}: the
     * first fault whose threshold falls inside them, or null to deliver them all.
     */
    Action before(long id, Direction direction, int length) {
        for (Armed fault : armed) {
            if (fault.direction() != direction || fault.left().get() <= 0) {
                continue;
            }
            long after = fault.delivered().computeIfAbsent(id, k -> new AtomicLong()).addAndGet(length);
            long before = after - length;
            // ">" so a fault at 0 bytes trips on the first chunk, and one at N after exactly N
            if (before <= fault.afterBytes() && after > fault.afterBytes() && claim(fault)) {
                int offset = (int) (fault.afterBytes() - before);
                return fault.stall() == null ? new ResetAt(offset) : new StallAt(offset, fault.stall());
            }
        }
        return null;
    }

    private boolean claim(Armed fault) {
        while (true) {
            int left = fault.left().get();
            if (left <= 0) {
                return false;
            }
            if (left == Integer.MAX_VALUE || fault.left().compareAndSet(left, left - 1)) {
                if (left - 1 == 0) {
                    armed.remove(fault);
                }
                tripped.incrementAndGet();
                return true;
            }
        }
    }

    /** A closed connection's counts are no longer needed. */
    void forget(long id) {
        for (Armed fault : armed) {
            fault.delivered().remove(id);
        }
    }
}
