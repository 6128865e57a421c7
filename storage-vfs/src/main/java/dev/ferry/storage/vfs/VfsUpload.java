package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.StagedUpload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload into a VFS file: the bytes go to {@code written} (a hidden temp sibling where the
 * provider can rename, else the target itself), and {@link Publisher#publish} makes them visible on
 * commit.
 *
 * <p>The state machine is {@link StagedUpload}'s, with {@link AbortStyle#AFTER_WRITE}: JSch
 * channels are not safe to close from a second thread mid-write, so an abort during a blocked write
 * only marks the upload, and the writer closes the stream and deletes what was written once its
 * write returns. A write that started before the abort fails after it.
 */
final class VfsUpload extends StagedUpload {

    private static final Logger LOG = LoggerFactory.getLogger(VfsUpload.class);

    /** Moves or keeps the written file once its stream is closed; returns nothing, throws on failure. */
    interface Publisher {
        void publish() throws StorageException;
    }

    /** Deletes what was written when the upload does not commit. */
    interface Discarder {
        void discard();
    }

    private final OutputStream out;
    private final Publisher publisher;
    private final Discarder discarder;
    private long size;
    /** Where a direct buffer is copied for the provider's stream; grown to the largest write. */
    private byte[] chunk;

    /**
     * @param kept bytes already in {@code out} (the prefix Append and ResumeAt keep)
     */
    VfsUpload(StoragePath path, OutputStream out, long kept, Publisher publisher, Discarder discarder) {
        super(path, AbortStyle.AFTER_WRITE);
        this.out = out;
        this.size = kept;
        this.publisher = publisher;
        this.discarder = discarder;
    }

    @Override
    protected int write(ByteBuffer src) throws IOException {
        int length = src.remaining();
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), length);
            src.position(src.position() + length);
        } else {
            // a direct buffer (the server's upload path): copied through one array kept for the upload
            if (chunk == null || chunk.length < length) {
                chunk = new byte[length];
            }
            src.get(chunk, 0, length);
            out.write(chunk, 0, length);
        }
        size += length;
        return length;
    }

    @Override
    protected long publish() throws StorageException {
        try {
            // closing ends the provider's write (for SFTP: the last WRITE and CLOSE round trips)
            out.close();
        } catch (IOException e) {
            throw VfsErrors.map(path(), e);
        }
        publisher.publish();
        return size;
    }

    /** Closes the stream and deletes what was written. */
    @Override
    protected void discard() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("Closing the aborted upload of {} failed: {}", path(), VfsErrors.safe(e));
        }
        discarder.discard();
    }
}
