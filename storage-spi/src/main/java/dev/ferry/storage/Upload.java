package dev.ferry.storage;

import java.nio.channels.WritableByteChannel;

/**
 * One write in progress. Nothing is visible under the target name before {@link #commit()}; a
 * failed, aborted or abandoned upload never leaves a truncated file there. Use with
 * try-with-resources: {@link #close()} without a commit aborts.
 */
public interface Upload extends AutoCloseable {

    /**
     * Where the bytes go; the same channel on every call. Closing it only ends writing: it neither
     * commits nor aborts, so a copy loop may close it in try-with-resources before {@link #commit()}.
     */
    WritableByteChannel stream() throws StorageException;

    /** Makes the written bytes visible under the target name; returns the bytes now stored there. */
    long commit() throws StorageException;

    /**
     * Discards what was written. Safe to call more than once, after a failed commit, and from another
     * thread while a write is blocked (ABOR): that write then fails with an IOException.
     */
    void abort();

    /**
     * Before the first byte: the file will belong to the system user {@code owner} (vsftpd's
     * chown_uploads), from its temporary file on, so it is never published under another owner.
     * Only storages with Unix owners ({@link Capability#POSIX_ATTRIBUTES}) can; the process needs
     * the right to give files away (root or CAP_CHOWN).
     */
    default void giveTo(String owner) throws StorageException {
        throw new StorageException.Unsupported("change the owner of an upload");
    }

    /** Aborts unless committed. */
    @Override
    void close();
}
