package dev.ferry.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

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
 * @param unique      a stable identity for MLST's {@code unique} fact, where the backend has one
 *                    ({@link #uniqueId()})
 */
public record FileInfo(StoragePath path, Type type, long size, Instant modified,
                       Optional<Integer> permissions, UniqueId unique) {

    public enum Type { FILE, DIRECTORY }

    public FileInfo {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        Objects.requireNonNull(unique, "unique");
    }

    /** An entry whose unique id is known (or absent) already. */
    public FileInfo(StoragePath path, Type type, long size, Instant modified, Optional<Integer> permissions,
                    Optional<String> uniqueId) {
        this(path, type, size, modified, permissions, UniqueId.of(uniqueId));
    }

    public static FileInfo file(StoragePath path, long size, Instant modified) {
        return new FileInfo(path, Type.FILE, size, modified, Optional.empty(), UniqueId.NONE);
    }

    public static FileInfo directory(StoragePath path, Instant modified) {
        return new FileInfo(path, Type.DIRECTORY, 0, modified, Optional.empty(), UniqueId.NONE);
    }

    /** The identity behind MLST's {@code unique} fact, made now if it was left for later. */
    public Optional<String> uniqueId() {
        return unique.value();
    }

    /** The same entry under another path (a view's, or a link's for what its target is); the id stays unmade. */
    public FileInfo at(StoragePath other) {
        return other.equals(path) ? this : new FileInfo(other, type, size, modified, permissions, unique);
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

    /**
     * MLST's {@code unique} fact, which a backend may leave to be made when a listing shows it:
     * the local disk's comes from the inode's file key as text, and making it for every entry was
     * ~16% of an NLST of 10,000 files (issue 15) that never shows it. Equal when the ids are.
     */
    public static final class UniqueId {

        /** No unique id: the backend has none. */
        public static final UniqueId NONE = new UniqueId(null, Optional.empty());

        private final Supplier<Optional<String>> maker;
        /** Made once; a race makes it twice, the same both times. */
        private volatile Optional<String> value;

        private UniqueId(Supplier<Optional<String>> maker, Optional<String> value) {
            this.maker = maker;
            this.value = value;
        }

        public static UniqueId of(Optional<String> id) {
            return id.isEmpty() ? NONE : new UniqueId(null, id);
        }

        /** An id made by {@code maker} the first time it is asked for (at most a few times if raced). */
        public static UniqueId later(Supplier<Optional<String>> maker) {
            return new UniqueId(Objects.requireNonNull(maker), null);
        }

        public Optional<String> value() {
            Optional<String> made = value;
            if (made == null) {
                made = Objects.requireNonNull(maker.get());
                value = made;
            }
            return made;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof UniqueId that && value().equals(that.value());
        }

        @Override
        public int hashCode() {
            return value().hashCode();
        }

        @Override
        public String toString() {
            return value().orElse("none");
        }
    }
}
