package dev.ferry.bench;

import dev.ferry.server.transfer.Copier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Copy strategies for a data connection, on the copy loop alone: a file on disk (page cache) to a
 * loopback socket ({@code download}, RETR's direction) and a loopback socket to a file
 * ({@code upload}, STOR's, without the fsync and rename of a commit). Each operation is one fresh
 * connection, as an FTP data connection is; the server side runs on a virtual thread, as Ferry's
 * transfers do, and the client side (this benchmark thread) drains or fills the socket through
 * its stream with a 64 KiB array, the same for every strategy.
 *
 * <p>Strategies: {@code stream-N} is Ferry's own loop ({@link Copier}) with an N KiB heap buffer
 * over the socket's streams, the product path; {@code channel-heap-N} and {@code channel-direct-N}
 * copy between the FileChannel and the SocketChannel through a heap or a direct buffer;
 * {@code sendfile-pool} runs {@code FileChannel.transferTo} (sendfile(2)) or
 * {@code transferFrom} on a pool of two platform threads while the virtual thread waits for it
 * (DESIGN.md: never sendfile on a virtual thread). Score: copies/s; {@code bytes}: bytes/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class CopyBenchmark {

    public static final String SENDFILE_POOL = "sendfile-pool";
    /** The product's strategy, the one every other is compared with. */
    public static final String PRODUCT = "stream-64";

    private static final long SIZE = 10L * 1024 * 1024;
    private static final long TIMEOUT_SECONDS = 60;

    @Param({"download", "upload"})
    public String direction;

    @Param({"stream-8", PRODUCT, "stream-256", "channel-heap-64", "channel-direct-64", "channel-direct-256",
            SENDFILE_POOL})
    public String strategy;

    private Path dir;
    private Path source;
    private Path target;
    private ServerSocketChannel listener;
    private ExecutorService virtualThreads;
    private ExecutorService sendfilePool;
    private final byte[] clientBuffer = new byte[64 * 1024];

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("ferry-copy-");
        source = dir.resolve("source.bin");
        target = dir.resolve("target.bin");
        Fixtures.writeRandom(source, SIZE, 3);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        sendfilePool = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("sendfile-", 0).factory());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        virtualThreads.shutdownNow();
        sendfilePool.shutdownNow();
        listener.close();
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public long copy(MovedBytes bytes) throws Exception {
        boolean download = direction.equals("download");
        Future<Long> server = virtualThreads.submit(() -> serve(download));
        long client;
        try (Socket socket = new Socket("127.0.0.1", listener.socket().getLocalPort())) {
            client = download ? drain(socket.getInputStream()) : fill(socket.getOutputStream());
        }
        long served;
        try {
            served = server.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            server.cancel(true);
            throw new IOException(strategy + " " + direction + " took over " + TIMEOUT_SECONDS + " s");
        }
        if (client != SIZE || served != SIZE) {
            throw new IOException(strategy + " " + direction + ": client " + client + ", server " + served
                    + " bytes, wanted " + SIZE);
        }
        bytes.bytes += SIZE;
        return SIZE;
    }

    /** The server side of one connection, on a virtual thread. */
    private long serve(boolean download) throws IOException, InterruptedException, ExecutionException {
        try (SocketChannel socket = listener.accept();
                FileChannel file = download ? FileChannel.open(source, StandardOpenOption.READ)
                        : FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING)) {
            long n = copy(download, file, socket);
            if (download) {
                socket.shutdownOutput();
            }
            return n;
        }
    }

    private long copy(boolean download, FileChannel file, SocketChannel socket)
            throws IOException, InterruptedException, ExecutionException {
        if (strategy.equals(SENDFILE_POOL)) {
            // the platform thread makes the blocking call; the virtual thread parks in get()
            return sendfilePool.submit(() -> download ? transferTo(file, socket) : transferFrom(socket, file)).get();
        }
        String[] parts = strategy.split("-");
        int kib = Integer.parseInt(parts[parts.length - 1]);
        if (parts[0].equals("stream")) {
            return download ? Copier.download(file, socket.socket().getOutputStream(), null, kib * 1024)
                    : Copier.upload(socket.socket().getInputStream(), file, null, kib * 1024);
        }
        ByteBuffer buffer = parts[1].equals("direct") ? ByteBuffer.allocateDirect(kib * 1024)
                : ByteBuffer.allocate(kib * 1024);
        return download ? channelCopy(file, socket, buffer) : channelCopy(socket, file, buffer);
    }

    private static long channelCopy(ReadableByteChannel from, WritableByteChannel to, ByteBuffer buffer)
            throws IOException {
        long total = 0;
        while (from.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                total += to.write(buffer);
            }
            buffer.clear();
        }
        return total;
    }

    private static long transferTo(FileChannel file, SocketChannel socket) throws IOException {
        long size = file.size();
        long position = 0;
        while (position < size) {
            position += file.transferTo(position, size - position, socket);
        }
        return position;
    }

    /** Until the client closes: transferFrom returns 0 at end of stream (and never says -1). */
    private static long transferFrom(SocketChannel socket, FileChannel file) throws IOException {
        long position = 0;
        long n;
        while ((n = file.transferFrom(socket, position, SIZE)) > 0) {
            position += n;
        }
        return position;
    }

    private long drain(InputStream in) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(clientBuffer)) >= 0) {
            total += n;
        }
        return total;
    }

    private long fill(OutputStream out) throws IOException {
        long left = SIZE;
        while (left > 0) {
            int n = (int) Math.min(left, clientBuffer.length);
            out.write(clientBuffer, 0, n);
            left -= n;
        }
        return SIZE;
    }
}
