package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A C server the load tool measures Ferry against: how to find its binary and the command line
 * that starts it in the foreground, anonymous, on a loopback port, serving the fixtures. Each
 * writes its configuration to {@code dir} (outside the served tree). All of them start as root
 * and switch to the system's {@code ftp} user for the session, as they do in production.
 */
sealed interface PeerServer permits Vsftpd, PureFtpd, Proftpd {

    /** The peers in the order of the report's columns. */
    List<PeerServer> ALL = List.of(new Vsftpd(), new PureFtpd(), new Proftpd());

    /** The column and {@code --targets} name. */
    String name();

    /** The binary's file name below {@code usr/sbin}. */
    String binary();

    /** The Debian package that has the binary. */
    String debianPackage();

    /** The command that starts it; writes what it needs (its configuration) to {@code dir}. */
    List<String> command(Path binary, Path root, Path dir, int port, FtpAccount ftp) throws IOException;

    static Optional<PeerServer> named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    static List<String> names() {
        return ALL.stream().map(PeerServer::name).toList();
    }

    /**
     * /usr/sbin/BINARY where the package is installed, else {@code peers}/usr/sbin/BINARY: Debian's
     * three packages conflict with one another (each provides ftp-server), so at most one is
     * installed; benchmarks/install-peers unpacks the other two there.
     */
    default Path find(Path peers) throws IOException {
        Path installed = Path.of("/usr/sbin", binary());
        if (Files.isExecutable(installed)) {
            return installed;
        }
        if (peers != null) {
            Path unpacked = peers.resolve("usr/sbin").resolve(binary());
            if (Files.isExecutable(unpacked)) {
                return unpacked;
            }
        }
        throw new IOException(binary() + " is neither in /usr/sbin nor in " + peers
                + "/usr/sbin: run benchmarks/install-peers (package " + debianPackage() + ")");
    }
}
