package dev.ferry.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * What a listing or stat knows about one entry.
 *
 * @param path        where it is
 * @param type        file or directory; a backend that follows symbolic links reports what the
 *                    link points to, never the link itself
 * @param size        bytes for files, 0 for directories
 * @param modified    last modification time; backends without one report a stable, sane time
 *                    (never the epoch)
 * @param permissions Unix mode bits (e.g. 0644) where the backend has them
 * @param uniqueId    a stable identity for MLST's {@code unique} fact, where the backend has one
 */
public record FileInfo(StoragePath path, Type type, long size, Instant modified,
                       Optional<Integer> permissions, Optional<String> uniqueId) {

    public enum Type { FILE, DIRECTORY }

    public FileInfo {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    public static FileInfo file(StoragePath path, long size, Instant modified) {
        return new FileInfo(path, Type.FILE, size, modified, Optional.empty(), Optional.empty());
    }

    public static FileInfo directory(StoragePath path, Instant modified) {
        return new FileInfo(path, Type.DIRECTORY, 0, modified, Optional.empty(), Optional.empty());
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    public String name() {
        return path.name();
    }
}
