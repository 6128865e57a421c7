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

    /** The key material as loaded, with the file stamps it was loaded from. */
    private record Loaded(KeyManager[] keyManagers, TrustManager[] trustManagers, List<FileTime> stamps) {
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

    public KeyManager[] keyManagers() {
        return fresh().keyManagers();
    }

    /** Null when no CA file is configured: the JDK's default trust then applies. */
    public TrustManager[] trustManagers() {
        return fresh().trustManagers();
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
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            switch (source) {
                case Source.PemFiles pem -> keys.init(pemKeyStore(pem), NO_PASSWORD);
                case Source.Keystore p12 -> {
                    KeyStore store = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(p12.file())) {
                        store.load(in, p12.password().toCharArray());
                    } catch (IOException e) {
                        throw new TlsConfigException(p12.file() + ": cannot read the keystore (wrong password?): "
                                + e.getMessage(), e);
                    }
                    keys.init(store, p12.password().toCharArray());
                }
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
            throw new TlsConfigException(keyFile + ": no PRIVATE KEY block found (rsa_private_key_file)");
        }
        if (!Objects.equals(key.getAlgorithm(), chain.getFirst().getPublicKey().getAlgorithm())) {
            throw new TlsConfigException(keyFile + ": the private key (" + key.getAlgorithm()
                    + ") does not belong to the certificate in " + pem.certificate());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ferry", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
        return store;
    }

    private static String text(Path file) throws TlsConfigException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<FileTime> stamps(Source source, Optional<Path> trustedCas) throws IOException {
        List<Path> files = new ArrayList<>();
        switch (source) {
            case Source.PemFiles pem -> {
                files.add(pem.certificate());
                pem.key().ifPresent(files::add);
            }
            case Source.Keystore p12 -> files.add(p12.file());
        }
        trustedCas.ifPresent(files::add);
        List<FileTime> stamps = new ArrayList<>();
        for (Path file : files) {
            stamps.add(Files.getLastModifiedTime(file));
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
