package dev.ferry.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one upload state machine every backend shares: bytes are staged where the target name does
 * not show them (a temp file, buffered parts) and published on {@link #commit()}. A backend writes
 * only what is its own: {@link #write}, {@link #publish} and {@link #discard}.
 *
 * <p>The rules, whatever the backend:
 * <ul>
 *   <li>OPEN, then either COMMITTING and COMMITTED, or ABORTED; never back.</li>
 *   <li>Commit runs once: a second commit, a commit after an abort and a commit after a failed
 *       commit all fail with {@link StorageException.Failed}.</li>
 *   <li>{@link #close()} without a commit aborts; close and abort after a commit do nothing.</li>
 *   <li>A failed publish aborts: {@link #discard()} removes what was staged, so the target name never
 *       shows a truncated file.</li>
 *   <li>{@link #discard()} runs at most once and {@link #ended()} exactly once, whichever way the
 *       upload ends.</li>
 *   <li>A write after an abort, or once a commit began, fails with an IOException.</li>
 * </ul>
 *
 * <p>Abort may come from another thread while the writer is blocked (ABOR on the control thread).
 * How the staged bytes are discarded then is the backend's {@link AbortStyle}. No monitor is held
 * around IO: the locks are {@link ReentrantLock}s, which a virtual thread releases its carrier on.
 */
public abstract class StagedUpload implements Upload {

    /** How an abort from another thread meets a write in progress. */
    public enum AbortStyle {
        /**
         * The aborting thread discards at once, even during a write; {@link #discard()} must be safe
         * to run then and should wake the blocked writer (closing a FileChannel does, for example).
         */
        IMMEDIATE,
        /**
         * Writes and discard never overlap (for streams that must not be closed from a second thread
         * mid-write, as JSch's): the abort only marks the upload when a write is in progress, and the
         * writer discards once that write returns. The write in progress then fails.
         */
        AFTER_WRITE
    }

    private enum State {
        OPEN("open"), COMMITTING("being committed"), COMMITTED("committed"), ABORTED("aborted");

        final String word;

        State(String word) {
            this.word = word;
        }
    }

    /** Guards the state transitions only; never held across IO. */
    private final ReentrantLock stateLock = new ReentrantLock();
    /** Held by writes, publish and discard when the style is {@link AbortStyle#AFTER_WRITE}. */
    private final ReentrantLock io = new ReentrantLock();
    private final StoragePath path;
    private final AbortStyle style;
    private final Stream stream = new Stream();
    // written under stateLock; read without it by the writer to fail fast
    private volatile State state = State.OPEN;
    // guarded by stateLock
    private boolean discarded;
    private boolean ended;

    protected StagedUpload(StoragePath path, AbortStyle style) {
        this.path = path;
        this.style = style;
    }

    /** The target of this upload, for messages. */
    protected final StoragePath path() {
        return path;
    }

    /** Writes some bytes of {@code src} to the staging place; returns how many. */
    protected abstract int write(ByteBuffer src) throws IOException;

    /**
     * Makes the staged bytes visible under the target name; returns the bytes now stored there. On
     * failure the upload is aborted and {@link #discard()} follows, so a publish that fails half-way
     * leaves its part of the cleanup to discard.
     */
    protected abstract long publish() throws StorageException;

    /** Removes what was staged; runs at most once, never after a successful publish. Must not throw. */
    protected abstract void discard();

    /** Releases what the upload held (a directory handle, a memory permit); runs once, last. */
    protected void ended() {
    }

    @Override
    public final WritableByteChannel stream() {
        return stream;
    }

    @Override
    public final long commit() throws StorageException {
        State seen;
        stateLock.lock();
        try {
            seen = state;
            if (seen == State.OPEN) {
                state = State.COMMITTING;
            }
        } finally {
            stateLock.unlock();
        }
        if (seen != State.OPEN) {
            cleanUpIfAborted();
            throw new StorageException.Failed(path, "The upload of " + path + " was " + seen.word, null);
        }
        boolean published = false;
        lockIo();
        try {
            long size = publish();
            published = true;
            return size;
        } finally {
            unlockIo();
            finish(published);
        }
    }

    /** After a commit: COMMITTED, or ABORTED with the staged bytes discarded. */
    private void finish(boolean published) {
        stateLock.lock();
        try {
            state = published ? State.COMMITTED : State.ABORTED;
        } finally {
            stateLock.unlock();
        }
        if (!published) {
            lockIo();
            try {
                discardOnce();
            } finally {
                unlockIo();
            }
        }
        endOnce();
    }

    @Override
    public final void abort() {
        stateLock.lock();
        try {
            if (state == State.OPEN) {
                state = State.ABORTED;
            } else if (state != State.ABORTED) {
                // COMMITTING ends in COMMITTED or cleans up itself; COMMITTED keeps its file
                return;
            }
        } finally {
            stateLock.unlock();
        }
        cleanUpIfAborted();
    }

    /** Aborts unless committed. */
    @Override
    public final void close() {
        abort();
    }

    /**
     * Discards an aborted upload now if no write is in progress; otherwise the writer does it when
     * its write returns (it checks the state after unlocking, so one of the two always gets there).
     */
    private void cleanUpIfAborted() {
        if (state != State.ABORTED) {
            return;
        }
        if (style == AbortStyle.IMMEDIATE) {
            discardOnce();
            endOnce();
        } else if (io.tryLock()) {
            try {
                discardOnce();
            } finally {
                io.unlock();
            }
            endOnce();
        }
    }

    private void discardOnce() {
        stateLock.lock();
        try {
            if (discarded) {
                return;
            }
            discarded = true;
        } finally {
            stateLock.unlock();
        }
        discard();
    }

    private void endOnce() {
        stateLock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
        } finally {
            stateLock.unlock();
        }
        ended();
    }

    private void lockIo() {
        if (style == AbortStyle.AFTER_WRITE) {
            io.lock();
        }
    }

    private void unlockIo() {
        if (style == AbortStyle.AFTER_WRITE) {
            io.unlock();
        }
    }

    private IOException notOpen() {
        return new IOException("The upload of " + path + " was " + state.word);
    }

    /** The writer's view: closing it ends writing and leaves commit or abort to the owner. */
    private final class Stream implements WritableByteChannel {
        private volatile boolean open = true;

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (state != State.OPEN) {
                cleanUpIfAborted();
                throw notOpen();
            }
            lockIo();
            try {
                if (state != State.OPEN) {
                    throw notOpen();
                }
                int count = StagedUpload.this.write(src);
                if (state != State.OPEN) {
                    throw new IOException("The upload of " + path + " was aborted during the write");
                }
                return count;
            } finally {
                unlockIo();
                cleanUpIfAborted();
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
}
