package dev.ferry.storage.vfs;

import dev.ferry.storage.StoragePath;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes Ferry's own changes to one path (commit, delete, rename, mkdir, MFMT). Commons VFS has
 * no atomic check-and-create: a commit looks at the target and then moves the temp file over it, and
 * two commits of one name must not interleave those steps. A fixed set of stripes keeps the memory
 * bounded; two paths that share a stripe merely wait for each other. ReentrantLock, never
 * {@code synchronized}: the holder does network IO, and on JDK 21 a monitor would pin the carrier.
 */
final class PathLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    PathLocks() {
        Arrays.setAll(locks, i -> new ReentrantLock());
    }

    /** Locks the stripes of {@code paths} in index order, so two callers never deadlock. */
    Held lock(StoragePath... paths) {
        int[] stripes = Arrays.stream(paths).mapToInt(p -> Math.floorMod(p.hashCode(), STRIPES)).distinct().sorted()
                .toArray();
        for (int stripe : stripes) {
            locks[stripe].lock();
        }
        return new Held(stripes);
    }

    /** Release with try-with-resources. */
    final class Held implements AutoCloseable {
        private final int[] stripes;

        private Held(int[] stripes) {
            this.stripes = stripes;
        }

        @Override
        public void close() {
            for (int i = stripes.length - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
        }
    }
}
