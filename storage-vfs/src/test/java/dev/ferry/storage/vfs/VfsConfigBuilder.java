package dev.ferry.storage.vfs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds a {@link VfsConfig} for tests: the directives' defaults for everything but the root, plus
 * the knobs tests turn. Test code only: the server builds its config in {@link VfsStorageProvider}.
 */
final class VfsConfigBuilder {

    private final VfsConfig base;
    private String password;
    private boolean strictHostKeyChecking;
    private Optional<Path> knownHosts;
    private boolean noExec;
    private Duration connectTimeout;
    private Duration timeout;
    private int sftpConnections;

    private VfsConfigBuilder(VfsConfig base) {
        this.base = base;
        this.password = base.password();
        this.strictHostKeyChecking = base.strictHostKeyChecking();
        this.knownHosts = base.knownHosts();
        this.noExec = base.noExec();
        this.connectTimeout = base.connectTimeout();
        this.timeout = base.timeout();
        this.sftpConnections = base.sftpConnections();
    }

    /** The defaults of the vfs_* directives, serving {@code root}. */
    static VfsConfigBuilder of(String root) {
        return from(new VfsConfig(root, "", Optional.empty(), "", true, Optional.empty(), false, false,
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(2), 10_000,
                VfsConfig.DEFAULT_SFTP_CONNECTIONS));
    }

    /** Starts from an existing config. */
    static VfsConfigBuilder from(VfsConfig config) {
        return new VfsConfigBuilder(config);
    }

    /** The defaults, serving {@code root}. */
    static VfsConfig config(String root) {
        return of(root).build();
    }

    VfsConfigBuilder strictHostKeyChecking(boolean strict, Optional<Path> knownHostsFile) {
        this.strictHostKeyChecking = strict;
        this.knownHosts = knownHostsFile;
        return this;
    }

    VfsConfigBuilder noExec() {
        this.noExec = true;
        return this;
    }

    VfsConfigBuilder password(String secret) {
        this.password = secret;
        return this;
    }

    VfsConfigBuilder timeouts(Duration connect, Duration read) {
        this.connectTimeout = connect;
        this.timeout = read;
        return this;
    }

    VfsConfigBuilder sftpConnections(int connections) {
        this.sftpConnections = connections;
        return this;
    }

    VfsConfig build() {
        return new VfsConfig(base.root(), password, base.privateKey(), base.passphrase(), strictHostKeyChecking,
                knownHosts, noExec, base.userDirIsRoot(), connectTimeout, timeout, base.cacheTtl(), base.cacheSize(),
                sftpConnections);
    }
}
