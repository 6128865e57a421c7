package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * proftpd in the foreground ({@code -n}) with the configuration benchmarks/README.md shows: one
 * {@code <Anonymous>} block for the fixtures, no modules loaded, no reverse DNS, no login delay
 * ({@code DelayEngine off}: mod_delay pads failed and successful logins alike to hide timing),
 * no system or transfer log. It forks a process per session.
 */
record Proftpd() implements PeerServer {

    static final String NAME = "proftpd";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String binary() {
        return "proftpd";
    }

    @Override
    public String debianPackage() {
        return "proftpd-core";
    }

    @Override
    public List<String> command(Path binary, Path root, Path dir, int port, FtpAccount ftp) throws IOException {
        Path config = dir.resolve("proftpd.conf");
        Files.write(config, configuration(root, dir, port, ftp), StandardCharsets.US_ASCII);
        return List.of(binary.toString(), "--nodaemon", "--config", config.toString());
    }

    /** The configuration benchmarks/README.md shows, with this run's paths and port. */
    static List<String> configuration(Path root, Path dir, int port, FtpAccount ftp) {
        return List.of(
                "ServerName \"load\"",
                "ServerType standalone",
                "Port " + port,
                "DefaultAddress 127.0.0.1",
                "SocketBindTight on",
                "UseIPv6 off",
                "User " + ftp.user(),
                "Group " + ftp.group(),
                "PidFile " + dir.resolve("proftpd.pid"),
                "ScoreboardFile " + dir.resolve("proftpd.scoreboard"),
                "DelayEngine off",
                "WtmpLog off",
                "UseReverseDNS off",
                "AuthPAM off",
                "SystemLog none",
                // in the foreground it logs to stderr whatever SystemLog says: only what stops it
                "SyslogLevel emerg",
                "TransferLog none",
                "MaxInstances none",
                "TimeoutIdle 900",
                "<Anonymous " + root + ">",
                "  User " + ftp.user(),
                "  Group " + ftp.group(),
                "  UserAlias anonymous " + ftp.user(),
                "  RequireValidShell off",
                "  MaxClients none",
                "  AllowOverwrite on",
                "</Anonymous>");
    }
}
