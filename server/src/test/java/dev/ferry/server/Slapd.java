package dev.ferry.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP slapd on loopback ports, with its own slapd.conf, an mdb database loaded with
 * slapadd from the test's LDIF, all in a temp directory. Skips the test when slapd is not
 * installed (Debian package slapd; .ci/run installs it).
 */
final class Slapd implements AutoCloseable {

    static final String SUFFIX = "dc=example,dc=org";
    static final String SLAPD = "/usr/sbin/slapd";
    static final String SLAPADD = "/usr/sbin/slapadd";

    private final Path dir;
    private final List<String> command;
    private final int port;
    private final int tlsPort;
    private Process process;

    private Slapd(Path dir, List<String> command, int port, int tlsPort) {
        this.dir = dir;
        this.command = command;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** TLS material for slapd: its certificate (self-signed, naming 127.0.0.1) doubles as the CA file. */
    record Tls(Path certificate, Path key) {
    }

    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of(SLAPD)) && Files.isExecutable(Path.of(SLAPADD)),
                "OpenLDAP slapd is not installed (Debian package slapd): LDAP login tests skipped");
    }

    /** A self-signed certificate for 127.0.0.1 and localhost; skips without openssl. */
    static Tls certificate(Path dir, String name) throws Exception {
        return certificate(dir, name, "IP:127.0.0.1,DNS:localhost");
    }

    /** A self-signed certificate naming {@code subjectAltNames} (openssl's syntax); skips without openssl. */
    static Tls certificate(Path dir, String name, String subjectAltNames) throws Exception {
        assumeTrue(TlsFixtures.installed("openssl"), "openssl is not installed");
        Path certificate = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        TlsFixtures.Result result = TlsFixtures.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=" + subjectAltNames);
        if (result.exit() != 0) {
            throw new IllegalStateException("openssl failed: " + result.output());
        }
        return new Tls(certificate, key);
    }

    /**
     * Starts slapd over {@code ldif} (entries below {@link #SUFFIX}); with {@code tls} it also
     * listens for ldaps:// and offers StartTLS, and {@code extra} lines go into slapd.conf's global part.
     */
    static Slapd start(Path dir, String ldif, Tls tls, String... extra) throws Exception {
        assumeInstalled();
        Path db = Files.createDirectories(dir.resolve("db"));
        StringBuilder conf = new StringBuilder();
        for (String schema : List.of("core", "cosine", "nis", "inetorgperson")) {
            conf.append("include /etc/ldap/schema/").append(schema).append(".schema\n");
        }
        conf.append("pidfile ").append(dir.resolve("slapd.pid")).append('\n');
        conf.append("modulepath /usr/lib/ldap\nmoduleload back_mdb\n");
        if (tls != null) {
            conf.append("TLSCertificateFile ").append(tls.certificate()).append('\n');
            conf.append("TLSCertificateKeyFile ").append(tls.key()).append('\n');
        }
        for (String line : extra) {
            conf.append(line).append('\n');
        }
        conf.append("database mdb\nmaxsize 10485760\n");
        conf.append("suffix \"").append(SUFFIX).append("\"\n");
        conf.append("rootdn \"cn=admin,").append(SUFFIX).append("\"\nrootpw admin-secret\n");
        conf.append("directory ").append(db).append('\n');
        // the service account may read everything, anonymous only authenticate
        conf.append("access to attrs=userPassword by anonymous auth by * none\n");
        conf.append("access to * by dn.exact=\"cn=ftp,ou=services,").append(SUFFIX)
                .append("\" read by users read by anonymous read\n");
        Path confFile = dir.resolve("slapd.conf");
        Files.writeString(confFile, conf);
        Path data = dir.resolve("data.ldif");
        Files.writeString(data, ldif);
        TlsFixtures.Result added = TlsFixtures.run(dir, SLAPADD, "-f", confFile.toString(), "-l", data.toString());
        if (added.exit() != 0) {
            throw new IllegalStateException("slapadd failed: " + added.output());
        }
        int port = freePort();
        int tlsPort = tls == null ? -1 : freePort();
        String urls = "ldap://127.0.0.1:" + port + "/" + (tls == null ? "" : " ldaps://127.0.0.1:" + tlsPort + "/");
        // -d: stay in the foreground, so the test owns the process; 256 (stats) logs each connection accepted
        Slapd slapd = new Slapd(dir, List.of(SLAPD, "-d", "256", "-f", confFile.toString(), "-h", urls), port, tlsPort);
        slapd.startProcess();
        return slapd;
    }

    private void startProcess() throws Exception {
        Path log = dir.resolve("slapd.log");
        long known = Files.exists(log) ? accepted() : 0;
        process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean probed = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("slapd exited: " + Files.readString(log));
            }
            if (!probed) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    probed = true;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                    continue;
                }
            }
            // the kernel accepts before slapd does: ready once slapd has logged the probe, so a test
            // counting ACCEPT lines from then on never counts the probe
            if (accepted() > known) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("slapd did not listen within 15 s: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** How many connections slapd has accepted so far (its stats log's ACCEPT lines). */
    long accepted() throws IOException {
        try (var lines = Files.lines(dir.resolve("slapd.log"))) {
            return lines.filter(line -> line.contains(" ACCEPT from ")).count();
        }
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    String ldapsUrl() {
        return "ldaps://127.0.0.1:" + tlsPort;
    }

    /** Stops slapd (its database stays) and waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts it again on the same ports over the same database. */
    void restart() throws Exception {
        stop();
        startProcess();
    }

    /** Stops slapd; an interrupt kills it at once and keeps the flag (close throws nothing checked). */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
