package dev.ferry.relay;

import java.time.Duration;

/**
 * A failure the relay injects. Byte counts are per connection and count from the moment the fault
 * is armed, in one direction, at the point where the relay delivers bytes to the far side.
 */
public sealed interface Fault {

    /**
     * The next {@code connections} connections that deliver more than {@code afterBytes} in
     * {@code direction} are reset (TCP RST to both ends) right after that many bytes.
     * {@link Integer#MAX_VALUE}: every such connection, until the relay is cleared.
     */
    record Reset(Direction direction, long afterBytes, int connections) implements Fault {
        public Reset {
            if (afterBytes < 0 || connections < 1) {
                throw new IllegalArgumentException("afterBytes >= 0 and connections >= 1");
            }
        }

        /** One connection, once. */
        public static Reset once(Direction direction, long afterBytes) {
            return new Reset(direction, afterBytes, 1);
        }

        /** Every connection that gets that far, until cleared. */
        public static Reset always(Direction direction, long afterBytes) {
            return new Reset(direction, afterBytes, Integer.MAX_VALUE);
        }
    }

    /**
     * The next connection that delivers more than {@code afterBytes} in {@code direction} stops
     * delivering in that direction for {@code time}, then goes on as if nothing happened.
     */
    record Stall(Direction direction, long afterBytes, Duration time) implements Fault {
        public Stall {
            if (afterBytes < 0 || time.isNegative()) {
                throw new IllegalArgumentException("afterBytes and time cannot be negative");
            }
        }
    }

    /** New connections are refused (the port is closed) for {@code time}; open ones go on. */
    record Refuse(Duration time) implements Fault {
    }
}
