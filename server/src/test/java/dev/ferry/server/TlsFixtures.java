package dev.ferry.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;

/**
 * FTPS test material made at test time: throwaway self-signed certificates (openssl for PEM files,
 * the JDK's keytool for PKCS12), a server with FTPS on, and the external tools the client tests
 * drive. Nothing here is committed key material.
 */
final class TlsFixtures {

    static final String PASSWORD = "s3cret pass";
    static final String BOB_PASSWORD = "b0b pass";

    /** A PEM certificate and its key. */
    record Pem(Path certificate, Path key) {
    }

    /** What a command printed (stdout and stderr together) and its exit status. */
    record Result(int exit, String output) {
    }

    private TlsFixtures() {
    }

    /** A self-signed RSA certificate for {@code cn} and its unencrypted PKCS#8 key; skips without openssl. */
    static Pem pem(Path dir, String name, String cn) throws Exception {
        assumeTrue(installed("openssl"), "openssl is not installed");
        Path certificate = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Result result = run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + cn);
        if (result.exit() != 0) {
            throw new IllegalStateException("openssl failed: " + result.output());
        }
        return new Pem(certificate, key);
    }

    /** A PKCS12 keystore with a self-signed RSA key pair, made with the JDK's own keytool. */
    static Path pkcs12(Path dir, String name, String password) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        Files.deleteIfExists(keystore); // keytool adds to an existing store and refuses a second "ferry"
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Result result = run(dir, keytool, "-genkeypair", "-alias", "ferry", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", password, "-keypass", password);
        if (result.exit() != 0) {
            throw new IllegalStateException("keytool failed: " + result.output());
        }
        return keystore;
    }

    /**
     * A server on local disk with FTPS on (PKCS12 certificate) and two local users who may write:
     * alice (home {@code disk/home/alice}) and bob (home {@code disk/home/bob}).
     */
    static TestServer.Builder server(Path disk) throws Exception {
        Path alice = Files.createDirectories(disk.resolve("home/alice"));
        Path bob = Files.createDirectories(disk.resolve("home/bob"));
        Path pub = Files.createDirectories(disk.resolve("pub"));
        Path users = Files.writeString(disk.resolve("users"),
                "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":" + alice + "\n"
                        + "bob:" + PasswordHash.sha512Crypt(BOB_PASSWORD) + ":" + bob + "\n");
        Path keystore = pkcs12(disk, "server", "changeit");
        return TestServer.builder().local(disk)
                .set("anon_root", pub.toString())
                .set("local_enable", "YES")
                .set("write_enable", "YES")
                .set("ssl_enable", "YES")
                .set("ssl_keystore_file", keystore.toString())
                .set("ssl_keystore_password", "changeit")
                .users(UserStore.load(users));
    }

    /** Commons Net's FTPS client, trusting the test certificate, limited to {@code protocol}. */
    static FTPSClient commonsNet(boolean implicit, String protocol) {
        FTPSClient client = new FTPSClient("TLS", implicit);
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        client.setEnabledProtocols(new String[] {protocol});
        client.setConnectTimeout(10_000);
        client.setDefaultTimeout(20_000);
        return client;
    }

    /** Connects, AUTH TLS, logs in as alice with PROT P, passive, binary. */
    static FTPSClient alice(int port, String protocol) throws IOException {
        FTPSClient client = commonsNet(false, protocol);
        client.connect("127.0.0.1", port);
        client.setSoTimeout(20_000);
        if (!client.login("alice", PASSWORD)) {
            throw new IOException("login failed: " + client.getReplyString());
        }
        client.execPBSZ(0);
        client.execPROT("P");
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    static boolean installed(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code command} in {@code directory} with stdin from /dev/null, for at most 150 s. */
    static Result run(Path directory, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        // read on another thread, so a client that hangs cannot hang the test past its deadline
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }
}
