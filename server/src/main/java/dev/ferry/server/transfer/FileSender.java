package dev.ferry.server.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends a file to a plain data connection with sendfile(2) ({@code FileChannel.transferTo}) from a
 * virtual thread without holding its carrier (DESIGN.md, "Zero-copy downloads"; measured in
 * notes/zero-copy.md):
 * <ul>
 *   <li>the first chunk goes through an ordinary {@code SocketChannel.write}: on a virtual thread
 *       that switches the socket's descriptor to non-blocking, so sendfile never blocks the
 *       carrier thread afterwards;</li>
 *   <li>on a non-blocking descriptor {@code transferTo} returns 0 when the socket buffer is full
 *       (sendfile's EAGAIN) and does not park; a loop around it would spin. Then the next chunk is
 *       read from the file and written with {@code SocketChannel.write}, which parks the virtual
 *       thread until the client has read enough, and the loop goes back to sendfile.</li>
 * </ul>
 * A zero from {@code transferTo} also means the end of the file; the chunk read then tells which
 * (-1), so a file that grows or shrinks meanwhile is sent as far as it reaches, as the stream copy
 * does. Every byte is counted in the transfer's {@link Progress} (STAT, the stall watchdog).
 *
 * <p>Closing from another thread (ABOR, the stall watchdog) goes through {@link #close}, which
 * waits for a sendfile call in progress: {@code transferTo} uses the socket's descriptor number
 * without the channel knowing, and a close in between could hand that number to a file another
 * session opens next, which the rest of the call would then write into. Each call is short (the
 * descriptor never blocks), so the wait is too.
 */
public final class FileSender {

    /** The chunk written when the socket is full, and the most one sendfile call is asked for. */
    static final int CHUNK = 64 * 1024;
    private static final long MOST_PER_CALL = 8L * 1024 * 1024;

    private final SocketChannel socket;
    private final Progress progress;
    private final ReentrantLock sending = new ReentrantLock();
    private ByteBuffer buffer;

    FileSender(SocketChannel socket, Progress progress) {
        this.socket = socket;
        this.progress = progress;
    }

    /**
     * Sends {@code file} from its position to its end.
     *
     * @return the bytes sent
     * @throws Copier.StorageSideFailure when reading the file fails, as the stream copy does
     */
    public long send(FileChannel file) throws IOException {
        long start;
        try {
            start = file.position();
        } catch (IOException e) {
            throw new Copier.StorageSideFailure(e);
        }
        long position = start;
        boolean primed = false;
        while (true) {
            long n = primed ? transfer(file, position) : 0;
            if (n == 0) {
                n = writeChunk(file, position);
                if (n < 0) {
                    break;
                }
                primed = true;
                if (n < CHUNK) {
                    // a short positional read of a regular file is its end: a small file needs
                    // no sendfile call (nor the JDK's failed copy_file_range before it) to learn it
                    position += n;
                    progress.add(n);
                    break;
                }
            }
            position += n;
            progress.add(n);
        }
        return position - start;
    }

    private long transfer(FileChannel file, long position) throws IOException {
        sending.lock();
        try {
            if (!socket.isOpen()) {
                throw new IOException("data connection closed");
            }
            return file.transferTo(position, MOST_PER_CALL, socket);
        } finally {
            sending.unlock();
        }
    }

    /** One chunk read at {@code position} and written whole (parking while the socket is full); -1 at the end. */
    private int writeChunk(FileChannel file, long position) throws IOException {
        if (buffer == null) {
            buffer = ByteBuffer.allocate(CHUNK); // the JDK writes it through its cached direct buffer
        }
        buffer.clear();
        int n;
        try {
            n = file.read(buffer, position);
        } catch (IOException e) {
            throw new Copier.StorageSideFailure(e);
        }
        if (n <= 0) {
            return -1; // a positional read returns 0 only for an empty buffer: the end
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
        return n;
    }

    /** Whether {@code data} is this sender's connection itself (not a TLS socket layered over it). */
    boolean carries(java.net.Socket data) {
        return data.getChannel() == socket;
    }

    /** Closes the data connection, after a sendfile call in progress (see the class comment). */
    void close() throws IOException {
        sending.lock();
        try {
            socket.close();
        } finally {
            sending.unlock();
        }
    }
}
