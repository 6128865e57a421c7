package dev.ferry.server.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Receives an upload from a plain data connection into the storage's channel through one direct
 * buffer. The stream path (the socket's InputStream into a byte array, the array into the channel)
 * copies every byte twice more in user space: the JDK reads a socket into a temporary direct buffer
 * of its own and copies that into the array, then copies the array into another direct buffer to
 * write the file. Here the kernel copies into the buffer and out of it, as a C server's read/write
 * loop does. Only for a plain connection without an upload limit ({@link DataStreams}); TLS, ASCII
 * and limited uploads keep the stream path. Every byte is counted in the transfer's {@link Progress}.
 *
 * <p>Closing the connection from another thread (ABOR, the stall watchdog) wakes a blocked read
 * with an exception, as on the stream path; the JDK's channel keeps the descriptor until the read
 * has returned, so no other file can take its number meanwhile.
 */
public final class UploadReceiver {

    /** One read's most: a socket's receive buffer on loopback holds a few hundred KiB. */
    static final int BUFFER_SIZE = 256 * 1024;
    /**
     * Direct buffers are freed only when the collector finds them unreachable, so a busy server
     * would otherwise hold a buffer per recent upload: a few are kept for the next uploads, and
     * the rest are left to the collector.
     */
    private static final BlockingQueue<ByteBuffer> SPARE = new ArrayBlockingQueue<>(16);

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
        ByteBuffer buffer = SPARE.poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        try {
            long total = 0;
            int n;
            while ((n = socket.read(buffer)) >= 0) {
                progress.add(n);
                buffer.flip();
                try {
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                } catch (IOException e) {
                    throw new Copier.StorageSideFailure(e);
                }
                buffer.clear();
                total += n;
            }
            return total;
        } finally {
            buffer.clear();
            SPARE.offer(buffer);
        }
    }
}
