package dev.ferry.storage;

import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A tree of files and directories that Ferry serves. Implementations are shared by every session
 * and must be safe for concurrent use. Paths are always {@link StoragePath}s: validated, absolute
 * inside this storage, never raw client text.
 */
public interface Storage extends AutoCloseable {

    /** What this storage can do beyond the basics; fixed for its lifetime. */
    Set<Capability> capabilities();

    /** The entry at {@code path}; the root always exists. */
    FileInfo stat(StoragePath path) throws StorageException;

    /** The entries of a directory (not {@code .} or {@code ..}), in no particular order. */
    Listing list(StoragePath dir) throws StorageException;

    /**
     * Opens a file for reading from {@code offset}. Without {@link Capability#RANDOM_READ} a
     * non-zero offset is honoured by skipping.
     */
    ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException;

    /** Starts an upload of unknown length; see {@link Upload} for what callers may rely on. */
    Upload openWrite(StoragePath path, WriteMode mode) throws StorageException;

    /** Creates one directory; its parent must exist. */
    void createDirectory(StoragePath dir) throws StorageException;

    /** Deletes a file (not a directory). */
    void delete(StoragePath file) throws StorageException;

    /** Deletes an empty directory. */
    void deleteDirectory(StoragePath dir) throws StorageException;

    /**
     * Moves a file (or, with {@link Capability#RENAME_DIRECTORY}, a directory), replacing an
     * existing file at {@code to}. A directory at {@code to} is never replaced: a file source fails
     * with {@link StorageException.IsADirectory}, a directory source with
     * {@link StorageException.AlreadyExists}. Moving a directory into itself fails.
     */
    void rename(StoragePath from, StoragePath to) throws StorageException;

    /** Sets the modification time ({@link Capability#SET_MODIFIED}). */
    void setModified(StoragePath path, Instant time) throws StorageException;

    /** Sets Unix permission bits ({@link Capability#POSIX_ATTRIBUTES}). */
    default void setPermissions(StoragePath path, int mode) throws StorageException {
        throw new StorageException.Unsupported("set permissions");
    }

    /**
     * A checksum the storage already keeps for a file ({@code CRC32}, {@code MD5}, {@code SHA-1},
     * {@code SHA-256}, {@code SHA-512}), as lower-case hex, so HASH need not read the file. Empty
     * when the storage has none for this file and algorithm; the server then computes it.
     */
    default Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
        return Optional.empty();
    }

    /**
     * Turns a path from the configuration (anon_root, a user's home) into a storage path. The
     * default reads it as a {@code /}-separated path inside the storage; a backend with its own
     * notion of paths (local disk: absolute or relative to the working directory) overrides it.
     */
    default StoragePath configuredPath(String text) throws StorageException {
        return StoragePath.parse(text);
    }

    /**
     * Removes leftovers of interrupted uploads (crash, kill -9) below dir. The server calls it once at
     * startup, in the background, for each root it serves. Default: nothing to do.
     */
    default void recover(StoragePath dir) throws StorageException {
    }

    @Override
    void close();
}
