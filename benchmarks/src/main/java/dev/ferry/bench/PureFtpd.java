package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pure-ftpd (foreground unless {@code -B}), configured by its command line alone. Its anonymous
 * root is the {@code ftp} user's home directory and Debian's build has no option to move it, so
 * the tool starts it in a mount namespace of its own ({@code unshare -m}) where the fixtures are
 * bind-mounted over that home: the system's mounts and the ftp user are left as they are. It
 * forks a process per session (two with privilege separation).
 */
record PureFtpd() implements PeerServer {

    static final String NAME = "pure-ftpd";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String binary() {
        return "pure-ftpd";
    }

    @Override
    public String debianPackage() {
        return "pure-ftpd";
    }

    @Override
    public List<String> command(Path binary, Path root, Path dir, int port, FtpAccount ftp) {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh",
                root.toString(), ftp.home().toString(), binary.toString()));
        command.addAll(arguments(port));
        return command;
    }

    /** The options benchmarks/README.md shows. */
    static List<String> arguments(int port) {
        return List.of(
                "--bind", "127.0.0.1," + port,
                "--anonymousonly",
                "--maxclientsnumber", "20000",
                "--maxclientsperip", "20000",
                // its default stops a listing at 2,000 entries
                "--limitrecursion", "20000:5",
                "--dontresolve",
                "--maxidletime", "15",
                "--syslogfacility", "none");
    }
}
