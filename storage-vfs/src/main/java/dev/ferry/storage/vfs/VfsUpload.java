package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload into a VFS file: the bytes go to {@code written} (a hidden temp sibling where the
 * provider can rename, else the target itself), and {@link Publisher#publish} makes them visible on
 * commit.
 *
 * <p>Abort may come from another thread while a write is blocked on the network. JSch channels are
 * not safe to close from a second thread mid-write, so abort only marks the upload; whoever holds the
 * IO lock (abort itself when the writer is idle, else the writer once its write returns) closes the
 * stream and deletes what was written. A write that started before the abort fails after it.
 */
final class VfsUpload implements Upload {

    private static final Logger LOG = LoggerFactory.getLogger(VfsUpload.class);

    /** Moves or keeps the written file once its stream is closed; returns nothing, throws on failure. */
    interface Publisher {
        void publish() throws StorageException;
    }

    /** Deletes what was written when the upload does not commit. */
    interface Discarder {
        void discard();
    }

    private final ReentrantLock io = new ReentrantLock();
    private final StoragePath path;
    private final OutputStream out;
    private final Publisher publisher;
    private final Discarder discarder;
    private final Stream stream = new Stream();
    private volatile State state = State.OPEN;
    private boolean cleaned;
    private long size;

    /**
     * @param kept bytes already in {@code out} (the prefix Append and ResumeAt keep)
     */
    VfsUpload(StoragePath path, OutputStream out, long kept, Publisher publisher, Discarder discarder) {
        this.path = path;
        this.out = out;
        this.size = kept;
        this.publisher = publisher;
        this.discarder = discarder;
    }

    @Override
    public WritableByteChannel stream() {
        return stream;
    }

    @Override
    public long commit() throws StorageException {
        io.lock();
        try {
            if (state != State.OPEN) {
                cleanUp();
                throw new StorageException.Failed(path, "The upload of " + path + " was " + state.word, null);
            }
            state = State.COMMITTING;
            try {
                // closing ends the provider's write (for SFTP: the last WRITE and CLOSE round trips)
                out.close();
                publisher.publish();
                state = State.COMMITTED;
                return size;
            } catch (IOException e) {
                throw VfsErrors.map(path, e);
            } finally {
                if (state != State.COMMITTED) {
                    state = State.ABORTED;
                    cleanUp();
                }
            }
        } finally {
            io.unlock();
        }
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        if (io.tryLock()) {
            try {
                cleanUp();
            } finally {
                io.unlock();
            }
        }
    }

    @Override
    public void close() {
        abort();
    }

    /** Under the IO lock: close the stream and delete what was written, once. */
    private void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("Closing the aborted upload of {} failed: {}", path, VfsErrors.safe(e));
        }
        discarder.discard();
    }

    /**
     * Deletes a file quietly: used on paths that already failed, where a second error is only logged.
     * Returns false when the delete failed (the file may still be there).
     */
    static boolean deleteQuietly(FileObject file, String what) {
        try {
            file.delete();
            return true;
        } catch (FileSystemException e) {
            LOG.warn("Could not delete {} {}: {}", what, Uris.redact(file.getName().getFriendlyURI()), VfsErrors.safe(e));
            return false;
        }
    }

    /** The writer's view: closing it ends writing and leaves commit or abort to the owner. */
    private final class Stream implements WritableByteChannel {
        private volatile boolean open = true;

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            io.lock();
            try {
                if (state != State.OPEN) {
                    cleanUp();
                    throw new IOException("The upload of " + path + " was " + state.word);
                }
                int length = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), length);
                    src.position(src.position() + length);
                } else {
                    byte[] chunk = new byte[length];
                    src.get(chunk);
                    out.write(chunk);
                }
                size += length;
                if (state != State.OPEN) {
                    cleanUp();
                    throw new IOException("The upload of " + path + " was aborted during the write");
                }
                return length;
            } finally {
                io.unlock();
            }
        }

        @Override
        public boolean isOpen() {
            return open && state == State.OPEN;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private enum State {
        OPEN("open"), COMMITTING("being committed"), COMMITTED("committed"), ABORTED("aborted");

        final String word;

        State(String word) {
            this.word = word;
        }
    }
}
