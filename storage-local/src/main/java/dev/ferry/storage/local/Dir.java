package dev.ferry.storage.local;

import dev.ferry.storage.Listing;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open directory inside a jail: every lookup, open, stat, delete and rename below it goes
 * through its file descriptor (openat and friends), so what a path component names cannot change
 * between checking and using it. Whoever opened it closes it; a holder that only borrows it (a
 * walk forked for one listing entry, the storage root shared by all operations) leaves it open.
 */
final class Dir implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dir.class);

    private final SecureDirectoryStream<Path> stream;
    private boolean owned;

    private Dir(SecureDirectoryStream<Path> stream, boolean owned) {
        this.stream = stream;
        this.owned = owned;
    }

    static Dir owned(SecureDirectoryStream<Path> stream) {
        return new Dir(stream, true);
    }

    static Dir borrowed(SecureDirectoryStream<Path> stream) {
        return new Dir(stream, false);
    }

    SecureDirectoryStream<Path> stream() {
        return stream;
    }

    /**
     * Its entries as the OS returns them, each mapped by {@code entry} (null leaves it out), read as
     * they are asked for, so a huge directory is never held in memory; a failed read is a
     * {@link Listing.ListingFailure} about {@code dir}, the directory as the client named it. Once
     * per open directory, as the stream allows.
     */
    <T> Iterator<T> entries(StoragePath dir, Function<Path, T> entry) {
        Iterator<Path> paths = stream.iterator();
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null && paths.hasNext()) {
                        next = entry.apply(paths.next());
                    }
                } catch (DirectoryIteratorException e) {
                    throw new Listing.ListingFailure(IoErrors.map(dir, e.getCause()));
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T result = next;
                next = null;
                return result;
            }
        };
    }

    /** The same directory for a holder that must not close it. */
    Dir borrow() {
        return new Dir(stream, false);
    }

    /** Passes the duty to close it on (to an upload that outlives the walk); this holder no longer closes it. */
    Dir handOver() {
        Dir moved = new Dir(stream, owned);
        owned = false;
        return moved;
    }

    @Override
    public void close() {
        if (owned) {
            owned = false;
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("Closing a directory failed", e);
            }
        }
    }
}
