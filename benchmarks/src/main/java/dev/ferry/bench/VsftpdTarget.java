package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * vsftpd started by the load tool in the foreground ({@code background=NO}) on a free loopback
 * port, anonymous, serving the fixture directory, with uploads below {@code upload/} only. vsftpd
 * starts as root and drops to its {@code ftp} user itself, so the tool must run as root. Its
 * memory is the sum over the listener and its session processes (vsftpd forks one per session).
 */
final class VsftpdTarget implements Target {

    static final String NAME = "vsftpd";
    private static final String BINARY = "/usr/sbin/vsftpd";
    private static final long START_SECONDS = 10;

    private final Process process;
    private final int port;
    private final Path config;

    private VsftpdTarget(Process process, int port, Path config) {
        this.process = process;
        this.port = port;
        this.config = config;
    }

    /**
     * Writes the configuration next to the fixtures (not inside: vsftpd serves that), makes the
     * fixtures readable by vsftpd's ftp user and {@code upload/} writable by it: vsftpd refuses
     * ("500 OOPS: vsftpd: refusing to run with writable root inside chroot()") an anonymous root
     * the anonymous user can write to.
     */
    static VsftpdTarget start(Path root) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IOException(BINARY + " not found: install vsftpd (apt-get install vsftpd)");
        }
        Path dir = Files.createTempDirectory("ferry-vsftpd-");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal ftp = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("ftp");
        Files.setOwner(root.resolve(LoadFixtures.UPLOAD), ftp);
        int port = freePort();
        Path config = dir.resolve("vsftpd.conf");
        Files.write(config, configuration(root, empty, port), StandardCharsets.US_ASCII);
        Process process = new ProcessBuilder(BINARY, config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        VsftpdTarget target = new VsftpdTarget(process, port, config);
        try {
            target.awaitGreeting();
        } catch (IOException | InterruptedException e) {
            target.close();
            throw e;
        }
        return target;
    }

    /** The configuration benchmarks/README.md shows, with this run's paths and port. */
    static List<String> configuration(Path root, Path emptyDir, int port) {
        return List.of(
                "listen=YES",
                "listen_ipv6=NO",
                "background=NO",
                "listen_address=127.0.0.1",
                "listen_port=" + port,
                "anonymous_enable=YES",
                "local_enable=NO",
                "anon_root=" + root,
                "no_anon_password=YES",
                "write_enable=YES",
                "anon_upload_enable=YES",
                "anon_other_write_enable=YES",
                "anon_world_readable_only=NO",
                "max_clients=0",
                "max_per_ip=0",
                "idle_session_timeout=900",
                // the defaults use a seccomp sandbox and namespaces that containers often deny
                "seccomp_sandbox=NO",
                "isolate=NO",
                "isolate_network=NO",
                "secure_chroot_dir=" + emptyDir,
                "xferlog_enable=NO",
                "dirmessage_enable=NO");
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Bounded: until a connection reads "220", at most {@link #START_SECONDS}. */
    private void awaitGreeting() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("vsftpd exited with " + process.exitValue() + " (its message is above)");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                probe.setSoTimeout(2000);
                InputStream in = probe.getInputStream();
                byte[] greeting = in.readNBytes(3);
                if (new String(greeting, StandardCharsets.US_ASCII).equals("220")) {
                    return;
                }
                throw new IOException("vsftpd greeted with " + new String(greeting, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("vsftpd did not answer on port " + port + " within " + START_SECONDS + " s", last);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public MemorySample memory() throws IOException {
        return MemorySample.ofProcessTree(process.toHandle());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Fixtures.deleteTree(config.getParent());
        } catch (IOException e) {
            System.err.println("vsftpd: could not remove " + config.getParent() + ": " + e.getMessage());
        }
    }
}
