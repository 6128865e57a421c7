package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to a hidden temp sibling of the target and publishes it with one rename(2) on commit, so
 * the target name holds the old bytes or the new ones, never a truncated mix, even after kill -9.
 * Append and ResumeAt start the temp file with a copy of the bytes they keep (see
 * {@link LocalStorage#openWrite}).
 */
final class LocalUpload implements Upload {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUpload.class);
    private static final AtomicBoolean WARNED_NO_LINKS = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    private final StoragePath path;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final boolean exclusive;
    private final TempFiles tempFiles;
    private final Stream stream = new Stream();
    private State state = State.OPEN;

    LocalUpload(StoragePath path, Path target, TempFiles.Opened temp, WriteMode mode, TempFiles tempFiles) {
        this.path = path;
        this.target = target;
        this.temp = temp.path();
        this.channel = temp.channel();
        this.exclusive = mode instanceof WriteMode.CreateNew;
        this.tempFiles = tempFiles;
    }

    @Override
    public WritableByteChannel stream() {
        return stream;
    }

    @Override
    public long commit() throws StorageException {
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw new StorageException.Failed(path, "The upload of " + path + " was " + state.word, null);
            }
            state = State.ABORTED;
            try {
                // the data must be on disk before the rename makes it visible, or a power cut
                // can leave the new name pointing at an empty file
                channel.force(true);
                long size = channel.size();
                channel.close();
                publish();
                syncDirectory(target.getParent());
                state = State.COMMITTED;
                return size;
            } catch (IOException e) {
                throw IoErrors.map(path, e);
            }
        } finally {
            if (state != State.COMMITTED) {
                discard();
            }
            tempFiles.release(temp);
            lock.unlock();
        }
    }

    private void publish() throws IOException {
        if (!exclusive) {
            // rename(2) replaces the target in one step; REPLACE_EXISTING is implied by ATOMIC_MOVE
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            // link(2) fails with EEXIST when the name exists: the check and the creation are one step
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (WARNED_NO_LINKS.compareAndSet(false, true)) {
                LOG.warn("The file system under {} has no hard links; exclusive creates (STOU) fall back to"
                        + " check-then-rename, which two simultaneous uploads of one name can race", target.getParent());
            }
            Files.move(temp, target);
            return;
        }
        Files.delete(temp);
    }

    /** Persists the rename itself (the directory entry); not every platform can sync a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot sync directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public void abort() {
        lock.lock();
        try {
            if (state == State.OPEN) {
                state = State.ABORTED;
                // closing the channel also wakes a write blocked in another thread (ABOR)
                discard();
                tempFiles.release(temp);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        abort();
    }

    private void discard() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing the temp file of {} failed", path, e);
        }
        TempFiles.deleteQuietly(temp);
    }

    /** The writer's view: closing it ends writing and leaves commit or abort to the owner. */
    private final class Stream implements WritableByteChannel {
        private volatile boolean open = true;

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return open && channel.isOpen();
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private enum State {
        OPEN("open"), COMMITTED("committed"), ABORTED("aborted");

        final String word;

        State(String word) {
            this.word = word;
        }
    }
}
