package dev.ferry.storage.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * A single-GET download as a channel. Unlike {@code Channels.newChannel}, which copies through
 * its own 8 KiB array, it reads straight into the caller's heap buffer.
 */
final class StreamChannel implements ReadableByteChannel {

    private final ResumingStream in;
    private volatile boolean open = true;

    StreamChannel(ResumingStream in) {
        this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.hasArray()) {
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        byte[] bytes = new byte[Math.min(dst.remaining(), 64 * 1024)];
        int n = in.read(bytes, 0, bytes.length);
        if (n > 0) {
            dst.put(bytes, 0, n);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Aborts the response unless it was read to the end (see {@link ResumingStream#close()}). */
    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }
}
