package dev.ferry.storage.vfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process SFTP server (Apache MINA SSHD) serving a directory, for tests. Commons VFS runs
 * {@code id -u} and {@code id -G} over an exec channel when it opens an SFTP file system (to judge
 * permissions); a server without a command handler never answers and the test hangs, so this one
 * answers with the owner of the served directory: VFS compares them with the files' owner and refuses
 * writes (rename-parent-read-only) when they differ.
 */
public final class SftpTestServer implements AutoCloseable {

    public static final String USER = "ferry";
    public static final String PASSWORD = "sftp secret";

    private final Path root;
    private final KeyPair hostKey;
    private final boolean shell;
    /** Channels the server opens per connection at most (0: MINA's default, no limit). */
    private final int maxChannels;
    private SshServer sshd;
    private int port;

    private SftpTestServer(Path root, boolean shell, int maxChannels) throws Exception {
        this.root = root;
        this.shell = shell;
        this.maxChannels = maxChannels;
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider();
        this.hostKey = keys.loadKeys(null).iterator().next();
    }

    /** Starts a server on a free loopback port whose SFTP root is {@code root}. */
    public static SftpTestServer start(Path root) throws Exception {
        SftpTestServer server = new SftpTestServer(root, true, 0);
        server.listen(0);
        return server;
    }

    /**
     * A server that refuses a channel beyond {@code maxChannels} per connection, as OpenSSH does at
     * MaxSessions (10 by default) with "no more sessions".
     */
    public static SftpTestServer startWithChannelLimit(Path root, int maxChannels) throws Exception {
        SftpTestServer server = new SftpTestServer(root, true, maxChannels);
        server.listen(0);
        return server;
    }

    /** An SFTP-only server: no command handler at all, like an account forced to internal-sftp. */
    public static SftpTestServer startSftpOnly(Path root) throws Exception {
        SftpTestServer server = new SftpTestServer(root, false, 0);
        server.listen(0);
        return server;
    }

    private void listen(int requestedPort) throws IOException {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        if (maxChannels > 0) {
            CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(sshd, maxChannels);
        }
        sshd.setPort(requestedPort);
        sshd.setKeyPairProvider(session -> List.of(hostKey));
        sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        if (shell) {
            int uid = (Integer) Files.getAttribute(root, "unix:uid");
            int gid = (Integer) Files.getAttribute(root, "unix:gid");
            sshd.setCommandFactory((channel, command) -> new IdCommand(command, uid, gid));
        }
        sshd.start();
        port = sshd.getPort();
    }

    public int port() {
        return port;
    }

    /** {@code sftp://ferry@127.0.0.1:port/} (the password goes in vfs_password). */
    public String uri() {
        return "sftp://" + USER + "@127.0.0.1:" + port + "/";
    }

    /** A known_hosts file holding this server's key, for strict host key checking. */
    public Path knownHosts(Path dir) throws IOException {
        String line = "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n";
        return Files.writeString(dir.resolve("known_hosts"), line, StandardCharsets.UTF_8);
    }

    /** Stops the server at once, dropping every session (a server that goes away). */
    public void stop() throws IOException {
        sshd.stop(true);
    }

    /** Starts again on the same port with the same host key. */
    public void restart() throws IOException {
        listen(port);
    }

    @Override
    public void close() throws IOException {
        if (sshd != null && !sshd.isClosed()) {
            sshd.stop(true);
        }
    }

    /** Answers what Commons VFS asks over exec: {@code id -u} and {@code id -G}. */
    private static final class IdCommand implements Command {
        private final String command;
        private final int uid;
        private final int gid;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        IdCommand(String command, int uid, int gid) {
            this.command = command;
            this.uid = uid;
            this.gid = gid;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) throws IOException {
            String answer = switch (command) {
                case "id -u" -> uid + "\n";
                case "id -G" -> gid + "\n";
                default -> null;
            };
            boolean known = answer != null;
            OutputStream target = known ? out : err;
            target.write((known ? answer : "unsupported: " + command + "\n").getBytes(StandardCharsets.UTF_8));
            target.flush();
            exit.onExit(known ? 0 : 127);
        }

        @Override
        public void destroy(ChannelSession channel) {
        }

        @Override
        public void setInputStream(java.io.InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }
    }
}
