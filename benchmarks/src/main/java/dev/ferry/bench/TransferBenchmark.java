package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Single-stream RETR and STOR through Commons Net over loopback, per server and file size. The
 * server runs in the benchmark's JVM; each benchmark thread holds one logged-in session and
 * reuses it, so the figure is the transfer (PASV, data connection, copy, 226), not the login.
 * The primary score is transfers/s; the {@code bytes} counter is bytes/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TransferBenchmark {

    /**
     * ferry-memory, ferry-local (disk, as the baseline), ferry-s3 (an in-process S3Proxy, started
     * per trial), ferry-vfs (Commons VFS ram://) and the baseline, Apache FtpServer on disk.
     */
    @Param({Servers.FERRY_MEMORY, Servers.FERRY_LOCAL, Servers.FERRY_S3, Servers.FERRY_VFS, Servers.FTPSERVER})
    public String server;

    /** 4 KiB and 10 MiB; the full profile adds 1 GiB. */
    @Param({"4096", "10485760"})
    public long size;

    private Path root;
    private EmbeddedServer running;
    private long expectedCrc;
    private final AtomicInteger sessions = new AtomicInteger();

    @Setup(Level.Trial)
    public void start() throws Exception {
        root = Files.createTempDirectory("ferry-bench-");
        expectedCrc = Fixtures.writeRandom(root.resolve(fileName()), size, size);
        Files.createDirectories(root.resolve("upload"));
        running = Servers.start(server, root);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        running.close();
        Fixtures.deleteTree(root);
    }

    String fileName() {
        return "data-" + size + ".bin";
    }

    /** One logged-in session per benchmark thread, with its own upload name. */
    @State(Scope.Thread)
    public static class Session {
        BenchClient client;
        String uploadName;
        byte[] pattern;

        @Setup(Level.Trial)
        public void open(TransferBenchmark benchmark) throws IOException {
            client = BenchClient.login("127.0.0.1", benchmark.running.port(), "anonymous", "bench@example.com");
            uploadName = "upload/u" + benchmark.sessions.incrementAndGet() + ".bin";
            pattern = Fixtures.bytes((int) Math.min(benchmark.size, 64 * 1024), 7);
        }

        @TearDown(Level.Trial)
        public void close() {
            client.quietly();
        }
    }

    @Benchmark
    public long retr(Session session, MovedBytes bytes) throws IOException {
        java.util.zip.CRC32 crc = size <= 64 * 1024 ? new java.util.zip.CRC32() : null;
        long n = session.client.retrieve(fileName(), crc);
        // checking every small file is cheap; a large one is checked by its length, since a CRC
        // over 10 MiB would put the client's CPU into the server's figure
        if (n != size || (crc != null && crc.getValue() != expectedCrc)) {
            throw new IOException("RETR returned " + n + " bytes, wanted " + size + " with CRC " + expectedCrc);
        }
        bytes.bytes += n;
        return n;
    }

    @Benchmark
    public long stor(Session session, MovedBytes bytes) throws IOException {
        long n = session.client.store(session.uploadName, session.pattern, size);
        bytes.bytes += n;
        return n;
    }
}
