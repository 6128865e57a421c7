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
 * about the entries they just listed, and every answer would otherwise cost a HEAD or LIST. A
 * file's ETag is kept with it (HEAD and LIST both return one), so that RETR after LIST or SIZE
 * knows the object's size and version without asking again.
 *
 * <p>Ferry's own writes invalidate the paths they touch. Loads are not done inside Caffeine's
 * {@code get(key, loader)}: that computes under a ConcurrentHashMap bin lock, which is a
 * {@code synchronized} block and would pin a virtual thread through a whole HTTP request on JDK 21.
 * Instead a load remembers the invalidation generation it started in and stores its result only
 * if no write happened meanwhile, so a slow HEAD can never put back what a commit just invalidated.
 * Other writers to the bucket are seen after at most the TTL.
 */
final class StatCache {

    /** A known entry; {@code etag} is "" for directories and where it is unknown. */
    record Entry(FileInfo info, String etag) {
    }

    private final Cache<StoragePath, Optional<Entry>> cache;
    private final AtomicLong generation = new AtomicLong();

    StatCache(Duration ttl) {
        this.cache = ttl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    }

    /** Empty when nothing is known; else the entry or, inside, its known absence. */
    Optional<Optional<FileInfo>> get(StoragePath path) {
        return lookup(path).map(known -> known.map(Entry::info));
    }

    /** The cached file at {@code path} with its ETag, when one is known. */
    Optional<Entry> file(StoragePath path) {
        return lookup(path).flatMap(known -> known).filter(entry -> entry.info().isFile() && !entry.etag().isEmpty());
    }

    private Optional<Optional<Entry>> lookup(StoragePath path) {
        return cache == null ? Optional.empty() : Optional.ofNullable(cache.getIfPresent(path));
    }

    /** The generation a load starts in; pass it to {@link #put}. */
    long generation() {
        return generation.get();
    }

    void put(StoragePath path, Optional<FileInfo> value, long startedIn) {
        put(path, value, "", startedIn);
    }

    void put(StoragePath path, Optional<FileInfo> value, String etag, long startedIn) {
        if (cache != null && generation.get() == startedIn) {
            cache.put(path, value.map(info -> new Entry(info, etag == null ? "" : etag)));
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

    /**
     * A new object was stored at {@code path}: forget it, and those ancestors not known as
     * directories (they may exist now). An ancestor known as a directory stays one, so the next
     * upload into the same directory does not look its parent up again.
     */
    void stored(StoragePath path) {
        generation.incrementAndGet();
        if (cache != null) {
            cache.invalidate(path);
            for (StoragePath p = path.parent(); !p.isRoot(); p = p.parent()) {
                Optional<Entry> known = cache.getIfPresent(p);
                if (known == null || known.isEmpty() || !known.get().info().isDirectory()) {
                    cache.invalidate(p);
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
