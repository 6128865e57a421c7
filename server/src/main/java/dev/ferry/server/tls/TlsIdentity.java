package dev.ferry.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate and key (and the CAs it trusts for client certificates), shared by
 * every FTPS session. The files are checked for changes at most every few seconds when a session
 * starts TLS: a renewed certificate (certbot renew) is used by new sessions without a restart,
 * while running sessions keep resuming against their own context. A reload that fails keeps the
 * previous certificate and logs why.
 */
public final class TlsIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(TlsIdentity.class);
    private static final long RECHECK_NANOS = 2_000_000_000L;
    private static final char[] NO_PASSWORD = new char[0];

    /** Where the key material comes from. */
    public sealed interface Source {
        /** PEM files: certificate chain, and the key (in the same file when {@code key} is empty). */
        record PemFiles(Path certificate, Optional<Path> key) implements Source {
        }

        /** A PKCS12 keystore holding one key entry. */
        record Keystore(Path file, String password) implements Source {
        }
    }

    /**
     * The key material as loaded, with the file stamps it was loaded from. One snapshot gives a
     * session both managers, so a reload between two calls cannot pair an old key with a new CA.
     *
     * @param trustManagers null when no CA file is configured: the JDK's default trust then applies
     */
    record Loaded(KeyManager[] keyManagers, TrustManager[] trustManagers, List<Stamp> stamps) {
    }

    /** What tells a changed file: its modification time and size (a rewrite within one tick changes the size). */
    private record Stamp(FileTime modified, long size) {
    }

    private final Source source;
    private final Optional<Path> trustedCas;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Loaded current;
    private volatile long checkedAt;

    private TlsIdentity(Source source, Optional<Path> trustedCas, Loaded loaded) {
        this.source = source;
        this.trustedCas = trustedCas;
        this.current = loaded;
        this.checkedAt = System.nanoTime();
    }

    /**
     * Loads the key material; the exception names the file and what is wrong with it, for a
     * startup error.
     */
    public static TlsIdentity load(Source source, Optional<Path> trustedCas) throws TlsConfigException {
        return new TlsIdentity(source, trustedCas, read(source, trustedCas));
    }

    /** The current key material, reloaded first when the files changed (checked every few seconds). */
    Loaded material() {
        return fresh();
    }

    /** One generator for all sessions: creating one per context costs ~20 us (notes/tls-reuse.md 5.3). */
    public SecureRandom random() {
        return random;
    }

    private Loaded fresh() {
        Loaded loaded = current;
        if (System.nanoTime() - checkedAt < RECHECK_NANOS || !reloading.tryLock()) {
            return loaded;
        }
        try {
            checkedAt = System.nanoTime();
            if (!stamps(source, trustedCas).equals(loaded.stamps())) {
                current = read(source, trustedCas);
                LOG.info("TLS certificate reloaded from {}", describe(source));
            }
        } catch (TlsConfigException | IOException e) {
            LOG.error("TLS certificate changed but cannot be loaded, keeping the previous one: {}", e.getMessage());
        } finally {
            reloading.unlock();
        }
        return current;
    }

    private static Loaded read(Source source, Optional<Path> trustedCas) throws TlsConfigException {
        try {
            // SunX509, not PKIX: PKIX makes every stateless resumption ~3x slower (notes/tls-reuse.md 5.1)
            KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
            switch (source) {
                case Source.PemFiles pem -> keys.init(pemKeyStore(pem), NO_PASSWORD);
                case Source.Keystore p12 -> keys.init(keystore(p12), p12.password().toCharArray());
            }
            TrustManager[] trust = null;
            if (trustedCas.isPresent()) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                List<X509Certificate> certificates = Pem.certificates(Pem.blocks(text(trustedCas.get())));
                if (certificates.isEmpty()) {
                    throw new TlsConfigException(trustedCas.get() + ": no CERTIFICATE block found");
                }
                for (int i = 0; i < certificates.size(); i++) {
                    cas.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(cas);
                trust = factory.getTrustManagers();
            }
            return new Loaded(keys.getKeyManagers(), trust, stamps(source, trustedCas));
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException(describe(source) + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore keystore(Source.Keystore p12) throws TlsConfigException, GeneralSecurityException {
        if (!Files.isReadable(p12.file())) {
            throw new TlsConfigException(p12.file() + ": cannot read the keystore: no such file or not readable"
                    + " (ssl_keystore_file)");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12.file())) {
            store.load(in, p12.password().toCharArray());
        } catch (IOException e) {
            // the JDK reports a wrong password as an IOException whose cause is UnrecoverableKeyException
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong password (ssl_keystore_password)" : "not a PKCS12 keystore or wrong password";
            throw new TlsConfigException(p12.file() + ": cannot read the keystore: " + why, e);
        }
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                try {
                    key = (PrivateKey) store.getKey(alias, p12.password().toCharArray());
                } catch (java.security.UnrecoverableKeyException e) {
                    throw new TlsConfigException(p12.file() + ": the key entry '" + alias + "' needs a password other"
                            + " than ssl_keystore_password; give it the keystore's password", e);
                }
                chain = java.util.Arrays.stream(store.getCertificateChain(alias))
                        .map(X509Certificate.class::cast).toList();
                break;
            }
        }
        if (key == null || chain == null || chain.isEmpty()) {
            throw new TlsConfigException(p12.file() + ": the keystore holds no private key with a certificate"
                    + " (ssl_keystore_file)");
        }
        checkPair(key, chain, p12.file(), p12.file());
        return store;
    }

    /**
     * The key must belong to the certificate: a signature made with it must verify with the
     * certificate's public key. Without this check a renewed certificate next to an old key starts
     * fine and fails every handshake.
     */
    private static void checkPair(PrivateKey key, List<X509Certificate> chain, Path keyFile, Path certificateFile)
            throws TlsConfigException {
        X509Certificate leaf = chain.getFirst();
        if (!Objects.equals(key.getAlgorithm(), leaf.getPublicKey().getAlgorithm())) {
            throw new TlsConfigException(keyFile + ": the private key (" + key.getAlgorithm()
                    + ") does not belong to the certificate in " + certificateFile);
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 name their own signature
        };
        try {
            byte[] probe = "ferry key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new TlsConfigException(keyFile + ": the private key does not belong to the certificate in "
                        + certificateFile);
            }
        } catch (GeneralSecurityException e) {
            LOG.debug("cannot check that the key matches the certificate ({}): {}", algorithm, e.toString());
        }
        try {
            leaf.checkValidity();
        } catch (java.security.cert.CertificateExpiredException e) {
            LOG.warn("{}: the certificate expired on {}; clients will refuse it", certificateFile, leaf.getNotAfter());
        } catch (java.security.cert.CertificateNotYetValidException e) {
            LOG.warn("{}: the certificate is not valid before {}", certificateFile, leaf.getNotBefore());
        }
    }

    private static KeyStore pemKeyStore(Source.PemFiles pem) throws TlsConfigException, GeneralSecurityException,
            IOException {
        List<Pem.Block> certificateBlocks = Pem.blocks(text(pem.certificate()));
        List<X509Certificate> chain = Pem.certificates(certificateBlocks);
        if (chain.isEmpty()) {
            throw new TlsConfigException(pem.certificate() + ": no CERTIFICATE block found (rsa_cert_file)");
        }
        Path keyFile = pem.key().orElse(pem.certificate());
        PrivateKey key;
        try {
            key = Pem.privateKey(keyFile.equals(pem.certificate()) ? certificateBlocks : Pem.blocks(text(keyFile)));
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(keyFile + ": " + e.getMessage() + " (rsa_private_key_file)", e);
        }
        if (key == null) {
            String why = text(keyFile).contains("ENCRYPTED")
                    ? "the private key is encrypted; give Ferry an unencrypted key file readable only by its user,"
                    + " or a PKCS12 keystore with ssl_keystore_password"
                    : "no PRIVATE KEY block found";
            throw new TlsConfigException(keyFile + ": " + why + " (rsa_private_key_file)");
        }
        checkPair(key, chain, keyFile, pem.certificate());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ferry", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
        return store;
    }

    private static String text(Path file) throws TlsConfigException {
        try {
            // ISO-8859-1 never fails: PEM files may carry non-ASCII "Bag Attributes" comments
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<Stamp> stamps(Source source, Optional<Path> trustedCas) throws IOException {
        List<Path> files = new ArrayList<>();
        switch (source) {
            case Source.PemFiles pem -> {
                files.add(pem.certificate());
                pem.key().ifPresent(files::add);
            }
            case Source.Keystore p12 -> files.add(p12.file());
        }
        trustedCas.ifPresent(files::add);
        List<Stamp> stamps = new ArrayList<>();
        for (Path file : files) {
            // follows symbolic links: certbot renews by pointing live/ at new files in archive/
            stamps.add(new Stamp(Files.getLastModifiedTime(file), Files.size(file)));
        }
        return stamps;
    }

    private static String describe(Source source) {
        return switch (source) {
            case Source.PemFiles pem -> pem.certificate().toString();
            case Source.Keystore p12 -> p12.file().toString();
        };
    }
}
