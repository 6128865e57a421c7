package dev.ferry.storage.vfs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The vfs_* directives, validated.
 *
 * @param root                the root URI Ferry serves
 * @param password            the password for the root URI's user, if not in the URI
 * @param privateKey          SFTP private key file
 * @param passphrase          the private key's passphrase (empty: none)
 * @param strictHostKeyChecking refuse SFTP hosts whose key is not in the known_hosts file
 * @param knownHosts          the known_hosts file (empty: JSch's default, ~/.ssh/known_hosts)
 * @param noExec              SFTP: never run {@code id -u}/{@code id -G} (SFTP-only accounts)
 * @param userDirIsRoot       SFTP/FTP: the URI path is relative to the login's home directory
 * @param connectTimeout      how long connecting may take
 * @param timeout             how long a connected server may stay silent (socket read timeout)
 * @param cacheTtl            how long metadata is remembered (0: not at all)
 * @param cacheSize           how many entries the metadata cache holds at most
 * @param sftpConnections     SFTP: how many SSH connections the storage may open to the server (1 or more)
 */
record VfsConfig(String root, String password, Optional<Path> privateKey, String passphrase,
                 boolean strictHostKeyChecking, Optional<Path> knownHosts, boolean noExec, boolean userDirIsRoot,
                 Duration connectTimeout, Duration timeout, Duration cacheTtl, long cacheSize,
                 int sftpConnections) {

    /** The default of vfs_sftp_connections. */
    static final int DEFAULT_SFTP_CONNECTIONS = 8;

    /** Never prints the password or passphrase. */
    @Override
    public String toString() {
        return "VfsConfig[root=" + Uris.redact(root) + ", password=" + (password.isEmpty() ? "none" : "***")
                + ", privateKey=" + privateKey.map(Path::toString).orElse("none")
                + ", strictHostKeyChecking=" + strictHostKeyChecking + ", knownHosts="
                + knownHosts.map(Path::toString).orElse("default") + ", noExec=" + noExec + ", userDirIsRoot=" + userDirIsRoot
                + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout + ", cacheTtl=" + cacheTtl
                + ", cacheSize=" + cacheSize + ", sftpConnections=" + sftpConnections + "]";
    }
}
