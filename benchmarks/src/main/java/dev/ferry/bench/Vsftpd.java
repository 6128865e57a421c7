package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * vsftpd in the foreground ({@code background=NO}) with the configuration benchmarks/README.md
 * shows. It starts as root and drops to its {@code ftp} user; it forks a process per session.
 */
record Vsftpd() implements PeerServer {

    static final String NAME = "vsftpd";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String binary() {
        return "vsftpd";
    }

    @Override
    public String debianPackage() {
        return "vsftpd";
    }

    @Override
    public List<String> command(Path binary, Path root, Path dir, int port, FtpAccount ftp) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path config = dir.resolve("vsftpd.conf");
        Files.write(config, configuration(root, empty, port), StandardCharsets.US_ASCII);
        return List.of(binary.toString(), config.toString());
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
}
