package dev.ferry.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The key formats certificate tools write (PKCS#8, PKCS#1, SEC1), read from files made by openssl now. */
@Timeout(60)
class TlsIdentityTest {

    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, new String(output));
    }

    private static boolean opensslInstalled() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** The algorithm of the key the server would use for {@code keyType} ("RSA" or "EC"). */
    private static String keyAlgorithm(Path certificate, Path key, String keyType) throws Exception {
        TlsIdentity identity = TlsIdentity.load(new TlsIdentity.Source.PemFiles(certificate, Optional.of(key)),
                Optional.empty());
        X509KeyManager manager = (X509KeyManager) identity.material().keyManagers()[0];
        return manager.getPrivateKey(manager.getServerAliases(keyType, null)[0]).getAlgorithm();
    }

    @Test
    void readsPkcs8Pkcs1AndSec1Keys() throws Exception {
        assumeTrue(opensslInstalled(), "openssl is not installed");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa8.key");
        openssl("rsa", "-in", "rsa8.key", "-traditional", "-out", "rsa1.key");
        openssl("req", "-x509", "-key", "rsa8.key", "-out", "rsa.crt", "-days", "2", "-subj", "/CN=rsa");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec1.key");
        openssl("req", "-x509", "-key", "ec1.key", "-out", "ec.crt", "-days", "2", "-subj", "/CN=ec");
        assertTrue(Files.readString(dir.resolve("rsa1.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(dir.resolve("ec1.key")).contains("BEGIN EC PRIVATE KEY"));

        assertEquals("RSA", keyAlgorithm(dir.resolve("rsa.crt"), dir.resolve("rsa8.key"), "RSA"));
        assertEquals("RSA", keyAlgorithm(dir.resolve("rsa.crt"), dir.resolve("rsa1.key"), "RSA"));
        assertEquals("EC", keyAlgorithm(dir.resolve("ec.crt"), dir.resolve("ec1.key"), "EC"));
    }

    @Test
    void anEncryptedKeyIsExplained() throws Exception {
        assumeTrue(opensslInstalled(), "openssl is not installed");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "plain.key");
        openssl("req", "-x509", "-key", "plain.key", "-out", "c.crt", "-days", "2", "-subj", "/CN=c");
        openssl("pkcs8", "-topk8", "-in", "plain.key", "-out", "locked.key", "-passout", "pass:pw");
        TlsConfigException failure = assertThrows(TlsConfigException.class, () -> TlsIdentity.load(
                new TlsIdentity.Source.PemFiles(dir.resolve("c.crt"), Optional.of(dir.resolve("locked.key"))),
                Optional.empty()));
        assertTrue(failure.getMessage().contains("locked.key") && failure.getMessage().contains("encrypted"),
                failure.getMessage());
    }
}
