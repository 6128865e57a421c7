package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed RSA 2048 certificate in a PKCS12 keystore, made at run time with the
 * running JDK's keytool (always there, unlike openssl), so no key material is committed.
 */
final class BenchCertificate {

    static final String PASSWORD = "changeit";

    private BenchCertificate() {
    }

    /** Writes {@code dir/bench.p12} and returns its path. */
    static Path create(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("bench.p12");
        Files.deleteIfExists(keystore); // keytool adds to an existing store and refuses a second alias
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "bench", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return keystore;
    }

    static KeyStore load(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
