package dev.ferry.storage.local;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
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
