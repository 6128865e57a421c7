package dev.ferry.server.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Receives an upload from a plain data connection into the storage's channel through one direct
 * buffer. The stream path (the socket's InputStream into a byte array, the array into the channel)
 * copies every byte twice more in user space: the JDK reads a socket into a temporary direct buffer
 * of its own and copies that into the array, then copies the array into another direct buffer to
 * write the file. Here the kernel copies into the buffer and out of it, as a C server's read/write
 * loop does (see {@link #MOST_DIRECT} for how many such buffers there are). Only for a plain
 * connection without an upload limit ({@link DataStreams}); TLS, ASCII and limited uploads keep
 * the stream path. Every byte is counted in the transfer's {@link Progress}.
 *
 * <p>Closing the connection from another thread (ABOR, the stall watchdog) wakes a blocked read
 * with an exception, as on the stream path; the JDK's channel keeps the descriptor until the read
 * has returned, so no other file can take its number meanwhile.
 */
public final class UploadReceiver {

    /**
     * One read's most. Measured with server CPU per 10 MiB STOR (README, "Data path"): 64 KiB and
     * 1 MiB both cost 1.6-2x what 256 KiB does.
     */
    static final int BUFFER_SIZE = 256 * 1024;
    /**
     * Direct buffers live outside the heap and are freed only when the collector finds them
     * unreachable, and the JVM caps them (MaxDirectMemorySize, the heap's size by default): so at
     * most this many are made, and kept for the next uploads. Uploads beyond them at the same time
     * read into a heap array of the stream copy's size, as before (the JDK then copies through a
     * direct buffer of its own per carrier thread), so memory per upload is bounded either way.
     */
    static final int MOST_DIRECT = 64;
    private static final BlockingQueue<ByteBuffer> SPARE = new ArrayBlockingQueue<>(MOST_DIRECT);
    private static final AtomicInteger DIRECT_MADE = new AtomicInteger();

    private final SocketChannel socket;
    private final Progress progress;

    UploadReceiver(SocketChannel socket, Progress progress) {
        this.socket = socket;
        this.progress = progress;
    }

    /**
     * Copies the connection's bytes to {@code to} until the client closes it.
     *
     * @return the bytes received
     * @throws Copier.StorageSideFailure when writing to the storage fails, as the stream copy does
     */
    public long receive(WritableByteChannel to) throws IOException {
        ByteBuffer buffer = take();
        try {
            long total = 0;
            int n;
            while ((n = socket.read(buffer)) >= 0) {
                progress.add(n);
                Copier.writeAll(to, buffer.flip());
                buffer.clear();
                total += n;
            }
            return total;
        } finally {
            if (buffer.isDirect()) {
                SPARE.add(buffer.clear()); // never full: at most MOST_DIRECT are made
            }
        }
    }

    private static ByteBuffer take() {
        ByteBuffer spare = SPARE.poll();
        if (spare != null) {
            return spare;
        }
        if (DIRECT_MADE.getAndUpdate(made -> made < MOST_DIRECT ? made + 1 : made) < MOST_DIRECT) {
            return ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        return ByteBuffer.allocate(Copier.BUFFER_SIZE);
    }
}
