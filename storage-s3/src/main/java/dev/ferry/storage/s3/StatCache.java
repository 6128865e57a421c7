package dev.ferry.storage.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A short-lived memory of stat results, present and absent: FTP clients ask SIZE, MDTM and CWD
 * about the entries they just listed, and every answer would otherwise cost a HEAD or LIST.
 *
 * <p>Ferry's own writes invalidate the paths they touch. Loads are not done inside Caffeine's
 * {@code get(key, loader)}: that computes under a ConcurrentHashMap bin lock, which is a
 * {@code synchronized} block and would pin a virtual thread through a whole HTTP request on JDK 21.
 * Instead a load remembers the invalidation generation it started in and stores its result only
 * if no write happened meanwhile, so a slow HEAD can never put back what a commit just invalidated.
 * Other writers to the bucket are seen after at most the TTL.
 */
final class StatCache {

    private final Cache<StoragePath, Optional<FileInfo>> cache;
    private final AtomicLong generation = new AtomicLong();

    StatCache(Duration ttl) {
        this.cache = ttl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    }

    /** Empty when nothing is known; else the entry or, inside, its known absence. */
    Optional<Optional<FileInfo>> get(StoragePath path) {
        return cache == null ? Optional.empty() : Optional.ofNullable(cache.getIfPresent(path));
    }

    /** The generation a load starts in; pass it to {@link #put}. */
    long generation() {
        return generation.get();
    }

    void put(StoragePath path, Optional<FileInfo> value, long startedIn) {
        if (cache != null && generation.get() == startedIn) {
            cache.put(path, value);
            // a write may have slipped in between the check and the put
            if (generation.get() != startedIn) {
                cache.invalidate(path);
            }
        }
    }

    /** A write changed {@code path}: forget it and its ancestors (a new file can create them). */
    void invalidate(StoragePath path) {
        generation.incrementAndGet();
        if (cache != null) {
            for (StoragePath p = path; ; p = p.parent()) {
                cache.invalidate(p);
                if (p.isRoot()) {
                    break;
                }
            }
        }
    }

    /** A directory rename changed everything below {@code dir}. */
    void invalidateAll() {
        generation.incrementAndGet();
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
