package dev.ferry.server.net;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what each key (a client address, a user name) holds, with a limit per key. Atomic per
 * key through {@link ConcurrentHashMap#compute}; a key whose count drops to zero is removed, so
 * the map only holds keys in use.
 */
final class Tally<K> {

    private final ConcurrentHashMap<K, Integer> counts = new ConcurrentHashMap<>();

    /** Takes one for {@code key} unless it already holds {@code limit} (0: no limit). */
    boolean tryAcquire(K key, int limit) {
        boolean[] granted = new boolean[1];
        counts.compute(key, (k, held) -> {
            int now = held == null ? 0 : held;
            if (limit > 0 && now >= limit) {
                return held;
            }
            granted[0] = true;
            return now + 1;
        });
        return granted[0];
    }

    void release(K key) {
        counts.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
    }

    int held(K key) {
        return counts.getOrDefault(key, 0);
    }
}
