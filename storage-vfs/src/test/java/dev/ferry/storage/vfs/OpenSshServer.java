package dev.ferry.storage.vfs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on a loopback port with its own configuration (stock MaxSessions 10, a generated
 * host key, key login for the user running the tests), for tests; {@link #available} says whether
 * this machine can run one (sshd and ssh-keygen installed; as root also /run/sshd, which sshd
 * insists on and which is created here when missing).
 */
public final class OpenSshServer implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final Process process;
    private final int port;

    private OpenSshServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        if (!Files.isExecutable(SSHD) || !Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) {
            return false;
        }
        Path privsep = Path.of("/run/sshd");
        try {
            if (!Files.isDirectory(privsep) && "root".equals(System.getProperty("user.name"))) {
                Files.createDirectories(privsep);
            }
        } catch (IOException e) {
            return false;
        }
        return Files.isDirectory(privsep);
    }

    /** Starts sshd with {@code MaxSessions maxSessions}; the user key is {@link #userKey()}. */
    public static OpenSshServer start(Path dir, int maxSessions) throws Exception {
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host").toString());
        // PEM RSA: the key format every JSch version reads
        run(dir, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", dir.resolve("user").toString());
        Files.copy(dir.resolve("user.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", "MaxSessions " + maxSessions,
                "Subsystem sftp internal-sftp", "LogLevel VERBOSE", ""));
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        OpenSshServer server = new OpenSshServer(dir, process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.log().contains("Server listening")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException("sshd did not start: " + server.log());
            }
            Thread.sleep(50);
        }
        return server;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(process.getInputStream().readAllBytes()));
        }
    }

    public int port() {
        return port;
    }

    public Path userKey() {
        return dir.resolve("user");
    }

    public String log() throws IOException {
        Path log = dir.resolve("sshd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
