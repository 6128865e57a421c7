package dev.ferry.storage.vfs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * A file's bytes from an offset as a channel that knows how many bytes to expect. A JSch stream whose
 * SSH session dies can report a plain end of stream instead of an error; without the count the server
 * would answer 226 for a truncated download. Ending early is therefore an IOException (451).
 */
final class ContentReader implements ReadableByteChannel {

    private final InputStream in;
    private final AutoCloseable also;
    private final long expected;
    private long read;
    private boolean open = true;

    /**
     * @param in       the stream, already at the offset
     * @param also     closed after the stream (the random-access content it came from), or null
     * @param expected how many bytes the stream must deliver
     */
    ContentReader(InputStream in, AutoCloseable also, long expected) {
        this.in = in;
        this.also = also;
        this.expected = expected;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (read >= expected) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), expected - read);
        int n;
        if (dst.hasArray()) {
            n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            byte[] chunk = new byte[want];
            n = in.read(chunk, 0, want);
            if (n > 0) {
                dst.put(chunk, 0, n);
            }
        }
        if (n < 0) {
            throw new EOFException("the storage ended the file after " + read + " of " + expected + " bytes");
        }
        read += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            in.close();
        } finally {
            if (also != null) {
                try {
                    also.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }
}
