package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What FTPS costs a transfer: RETR and STOR of 10 MiB on one Ferry (in-memory backend, FTPS on,
 * TLS 1.3 only) through a plain session and through an FTPS session with PROT P. One server serves
 * both, so the ratio is the encryption and the data connection's handshake, nothing else. The
 * server runs with require_ssl_reuse=NO because Commons Net cannot resume the control
 * connection's session on a data connection; each FTPS transfer therefore pays a full handshake.
 * Primary score: transfers/s; the {@code bytes} counter: bytes/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class TlsBenchmark {

    public static final String PLAIN = "plain";
    public static final String FTPS = "ftps";

    @Param({PLAIN, FTPS})
    public String transport;

    @Param({"10485760"})
    public long size;

    private Path root;
    private EmbeddedServer running;

    @Setup(Level.Trial)
    public void start() throws Exception {
        root = Files.createTempDirectory("ferry-tls-bench-");
        Path keystore = BenchCertificate.create(Files.createDirectories(root.resolve("keys")));
        Path files = Files.createDirectories(root.resolve("files"));
        Fixtures.writeRandom(files.resolve(fileName()), size, size);
        Files.createDirectories(files.resolve("upload"));
        running = FerryLauncher.memory(files, List.of(
                "ssl_enable=YES",
                "allow_anon_ssl=YES",
                "ssl_tlsv1_2=NO",
                "require_ssl_reuse=NO",
                "ssl_keystore_file=" + keystore,
                "ssl_keystore_password=" + BenchCertificate.PASSWORD));
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        running.close();
        Fixtures.deleteTree(root);
    }

    String fileName() {
        return "data-" + size + ".bin";
    }

    /** One logged-in session per benchmark thread, plain or FTPS by the transport parameter. */
    @State(Scope.Thread)
    public static class Session {
        BenchClient plain;
        TlsBenchClient tls;
        byte[] pattern;

        @Setup(Level.Trial)
        public void open(TlsBenchmark benchmark) throws IOException {
            int port = benchmark.running.port();
            if (benchmark.transport.equals(FTPS)) {
                tls = TlsBenchClient.login(port, "anonymous", "bench@example.com");
            } else {
                plain = BenchClient.login("127.0.0.1", port, "anonymous", "bench@example.com");
            }
            pattern = Fixtures.bytes(64 * 1024, 7);
        }

        long retrieve(String name) throws IOException {
            return tls != null ? tls.retrieve(name) : plain.retrieve(name, null);
        }

        long store(String name, long size) throws IOException {
            return tls != null ? tls.store(name, pattern, size) : plain.store(name, pattern, size);
        }

        @TearDown(Level.Trial)
        public void close() {
            if (tls != null) {
                tls.quietly();
            }
            if (plain != null) {
                plain.quietly();
            }
        }
    }

    @Benchmark
    public long retr(Session session, MovedBytes bytes) throws IOException {
        long n = session.retrieve(fileName());
        if (n != size) {
            throw new IOException("RETR returned " + n + " bytes, wanted " + size);
        }
        bytes.bytes += n;
        return n;
    }

    @Benchmark
    public long stor(Session session, MovedBytes bytes) throws IOException {
        long n = session.store("upload/tls.bin", size);
        bytes.bytes += n;
        return n;
    }
}
