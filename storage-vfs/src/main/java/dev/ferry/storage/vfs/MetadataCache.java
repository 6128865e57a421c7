package dev.ferry.storage.vfs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.time.Duration;

/**
 * What stat and listings learned, for a short while: FTP clients ask for the same entry several
 * times in a row (LIST, then SIZE and MDTM, then RETR), and over SFTP or WebDAV each question is a
 * round trip. Bounded in size; entries expire after the configured TTL, so changes made by others
 * show up within it. Ferry's own changes invalidate the entries they touch at once. Only entries that
 * exist are cached: a missing path is always asked again.
 */
final class MetadataCache {

    private final Cache<StoragePath, FileInfo> entries;

    MetadataCache(Duration ttl, long maximumSize) {
        entries = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(ttl.isZero() ? 0 : maximumSize)
                // eviction work runs on the caller, not on the common ForkJoinPool
                .executor(Runnable::run)
                .build();
    }

    FileInfo get(StoragePath path) {
        return entries.getIfPresent(path);
    }

    void put(FileInfo info) {
        entries.put(info.path(), info);
    }

    /** {@code path} changed: it, and its parent's modification time. */
    void changed(StoragePath path) {
        entries.invalidate(path);
        entries.invalidate(path.parent());
    }

    /** {@code path} moved or vanished with everything below it. */
    void changedTree(StoragePath path) {
        entries.asMap().keySet().removeIf(path::contains);
        entries.invalidate(path.parent());
    }
}
