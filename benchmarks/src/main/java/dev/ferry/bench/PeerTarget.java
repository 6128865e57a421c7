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
import java.util.concurrent.TimeUnit;

/**
 * A C server ({@link PeerServer}) started by the load tool in the foreground on a free loopback
 * port, anonymous, serving the fixture directory, with uploads below {@code upload/} only. It
 * starts as root and switches to the {@code ftp} user itself, so the tool must run as root. Its
 * memory is the sum over the listener and its session processes (each forks per session).
 */
final class PeerTarget implements Target {

    private static final long START_SECONDS = 10;

    private final String name;
    private final Process process;
    private final int port;
    private final Path dir;

    private PeerTarget(String name, Process process, int port, Path dir) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Writes the configuration to a directory of its own (not inside the fixtures: the servers
     * serve those), makes the fixtures readable by the ftp user and {@code upload/} writable by it:
     * vsftpd refuses ("500 OOPS: vsftpd: refusing to run with writable root inside chroot()") an
     * anonymous root the anonymous user can write to. Fails with the reason if the server cannot
     * run here (not root, binary missing, no ftp user); the tool then skips it.
     */
    static PeerTarget start(PeerServer server, Path root, Path peers) throws IOException, InterruptedException {
        if (!isRoot()) {
            throw new IOException("needs root (it starts as root and switches to the ftp user)");
        }
        Path binary = server.find(peers);
        FtpAccount ftp = FtpAccount.lookUp();
        Path dir = Files.createTempDirectory("ferry-" + server.name() + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ftp.user());
        Files.setOwner(root.resolve(LoadFixtures.UPLOAD), owner);
        int port = freePort();
        // its own output to a file, not the tool's: proftpd in the foreground logs every session
        Path log = dir.resolve(server.name() + ".log");
        Process process = new ProcessBuilder(server.command(binary, root, dir, port, ftp)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        PeerTarget target = new PeerTarget(server.name(), process, port, dir);
        try {
            target.awaitGreeting();
        } catch (IOException | InterruptedException e) {
            String said = Files.isReadable(log) ? Files.readString(log).strip() : "";
            target.close();
            throw new IOException(e.getMessage() + (said.isEmpty() ? "" : "; it said: " + said), e);
        }
        return target;
    }

    /** Uid 0, from /proc/self/status (the JDK has no call for it). */
    static boolean isRoot() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return "root".equals(System.getProperty("user.name"));
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Uid:")) {
                return line.substring(4).trim().split("\\s+")[1].equals("0");
            }
        }
        return false;
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
                throw new IOException(name + " exited with " + process.exitValue());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                probe.setSoTimeout(2000);
                InputStream in = probe.getInputStream();
                byte[] greeting = in.readNBytes(3);
                if (new String(greeting, StandardCharsets.US_ASCII).equals("220")) {
                    return;
                }
                throw new IOException(name + " greeted with " + new String(greeting, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException(name + " did not answer on port " + port + " within " + START_SECONDS + " s", last);
    }

    @Override
    public String name() {
        return name;
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
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Fixtures.deleteTree(dir);
        } catch (IOException e) {
            System.err.println(name + ": could not remove " + dir + ": " + e.getMessage());
        }
    }
}
