package dev.ferry.storage;

import java.util.Iterator;

/**
 * A directory listing read as a cursor: backends page lazily (S3 lists 1,000 keys a request), so a
 * 100,000-entry directory never sits in memory at once. Close it to release what it holds.
 * Iteration may throw {@link StorageException.Transient} wrapped in {@link ListingFailure} when a
 * later page fails.
 */
public interface Listing extends Iterable<FileInfo>, AutoCloseable {

    @Override
    Iterator<FileInfo> iterator();

    @Override
    void close();

    /** A page fetched during iteration failed. */
    final class ListingFailure extends RuntimeException {
        public ListingFailure(StorageException cause) {
            super(cause.getMessage(), cause);
        }

        /** The storage failure behind this one. */
        public StorageException failure() {
            return (StorageException) getCause();
        }
    }

    /** A listing over entries already in memory. */
    static Listing of(Iterable<FileInfo> entries) {
        return new Listing() {
            @Override
            public Iterator<FileInfo> iterator() {
                return entries.iterator();
            }

            @Override
            public void close() {
            }
        };
    }
}
