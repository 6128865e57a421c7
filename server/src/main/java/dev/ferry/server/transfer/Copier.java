package dev.ferry.server.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The copy loops between storage channels and data sockets, with one reused buffer per transfer.
 * Counting and rate limiting happen in the {@link DataStreams} they are given.
 * Plain binary downloads of files skip them: {@link FileSender} sends those with sendfile
 * (DESIGN.md, "Zero-copy downloads"). Failures on the storage side are wrapped in
 * {@link StorageSideFailure} so the caller can tell "451 local error" from "426 network error".
 */
public final class Copier {

    /**
     * The buffer of the copy loops. The benchmarks module's CopyBenchmark compares 8, 64 and
     * 256 KiB heap buffers through these loops, heap and direct buffers on socket channels and a
     * platform-thread sendfile pool: none beat 64 KiB on the heap clearly (README, "Benchmarks").
     */
    static final int BUFFER_SIZE = 64 * 1024;

    /** An IOException raised by the storage channel rather than the network. */
    public static final class StorageSideFailure extends IOException {
        StorageSideFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private Copier() {
    }

    /** Storage to network (RETR); {@code ascii} converts LF to CRLF. */
    public static long download(ReadableByteChannel from, OutputStream to, AsciiFilter filter) throws IOException {
        return download(from, to, filter, BUFFER_SIZE);
    }

    /** {@link #download(ReadableByteChannel, OutputStream, AsciiFilter)} with a buffer of {@code bufferSize} bytes. */
    public static long download(ReadableByteChannel from, OutputStream to, AsciiFilter filter, int bufferSize)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        byte[] converted = filter == null ? null : new byte[bufferSize * 2];
        long total = 0;
        while (true) {
            buffer.clear();
            int n;
            try {
                n = from.read(buffer);
            } catch (IOException e) {
                throw new StorageSideFailure(e);
            }
            if (n < 0) {
                break;
            }
            if (filter == null) {
                to.write(buffer.array(), 0, n);
            } else {
                to.write(converted, 0, filter.convert(buffer.array(), n, converted));
            }
            total += n;
        }
        to.flush();
        return total;
    }

    /** Network to storage (STOR, APPE, STOU); {@code ascii} converts CRLF to LF. */
    public static long upload(InputStream from, WritableByteChannel to, AsciiFilter filter) throws IOException {
        return upload(from, to, filter, BUFFER_SIZE);
    }

    /** {@link #upload(InputStream, WritableByteChannel, AsciiFilter)} with a buffer of {@code bufferSize} bytes. */
    public static long upload(InputStream from, WritableByteChannel to, AsciiFilter filter, int bufferSize)
            throws IOException {
        byte[] buffer = new byte[bufferSize];
        byte[] converted = filter == null ? null : new byte[bufferSize * 2];
        long total = 0;
        while (true) {
            int n = from.read(buffer);
            if (n < 0) {
                break;
            }
            if (filter == null) {
                total += write(to, buffer, n);
            } else {
                total += write(to, converted, filter.convert(buffer, n, converted));
            }
        }
        if (filter != null) {
            total += write(to, converted, filter.flush(converted));
        }
        return total;
    }

    private static int write(WritableByteChannel to, byte[] bytes, int length) throws StorageSideFailure {
        writeAll(to, ByteBuffer.wrap(bytes, 0, length));
        return length;
    }

    /** Writes what {@code buffer} holds to the storage channel; a failure there is the storage's. */
    static void writeAll(WritableByteChannel to, ByteBuffer buffer) throws StorageSideFailure {
        try {
            while (buffer.hasRemaining()) {
                to.write(buffer);
            }
        } catch (IOException e) {
            throw new StorageSideFailure(e);
        }
    }
}
