package dev.ferry.server.tls;

import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The server's FTPS setup, read once at startup: the key material (reloaded by
 * {@link TlsIdentity} when its files change) and the policy. Each FTP session gets its own
 * {@link SessionTls} from here.
 */
public final class ServerTls {

    private final TlsIdentity identity;
    private final TlsPolicy policy;
    private final ClientTlsRegistry shared;

    ServerTls(TlsIdentity identity, TlsPolicy policy) {
        this.identity = identity;
        this.policy = policy;
        this.shared = new ClientTlsRegistry(identity, policy);
    }

    public TlsPolicy policy() {
        return policy;
    }

    /** Empty when ssl_enable is NO; a ConfigException naming the file or directive when TLS cannot work. */
    public static Optional<ServerTls> from(ServerConfig config) throws ConfigException {
        if (!config.get(CoreDirectives.SSL_ENABLE)) {
            if (config.get(CoreDirectives.IMPLICIT_SSL) || config.get(CoreDirectives.IMPLICIT_SSL_LISTEN_PORT) > 0) {
                throw new ConfigException("implicit_ssl and implicit_ssl_listen_port need ssl_enable=YES");
            }
            return Optional.empty();
        }
        List<String> protocols = new ArrayList<>();
        if (config.get(CoreDirectives.SSL_TLSV1_3)) {
            protocols.add("TLSv1.3");
        }
        if (config.get(CoreDirectives.SSL_TLSV1_2)) {
            protocols.add("TLSv1.2");
        }
        if (protocols.isEmpty()) {
            throw new ConfigException("ssl_enable=YES but ssl_tlsv1_2 and ssl_tlsv1_3 are both NO: no protocol left");
        }
        TlsPolicy policy = new TlsPolicy(protocols, ciphers(config.get(CoreDirectives.SSL_CIPHERS)),
                config.get(CoreDirectives.SSL_REQUEST_CERT), config.get(CoreDirectives.REQUIRE_CERT),
                config.get(CoreDirectives.VALIDATE_CERT), config.get(CoreDirectives.REQUIRE_SSL_REUSE),
                config.get(CoreDirectives.SSL_REUSE_SAME_USER),
                new TlsPolicy.Checks(config.get(CoreDirectives.STRICT_SSL_READ_EOF),
                        config.get(CoreDirectives.STRICT_SSL_WRITE_SHUTDOWN), config.get(CoreDirectives.DEBUG_SSL)));
        Optional<Path> keystore = config.get(CoreDirectives.SSL_KEYSTORE_FILE);
        TlsIdentity.Source source;
        if (keystore.isPresent()) {
            source = new TlsIdentity.Source.Keystore(keystore.get(), config.get(CoreDirectives.SSL_KEYSTORE_PASSWORD));
        } else {
            Path certificate = config.get(CoreDirectives.RSA_CERT_FILE).orElseThrow(() -> new ConfigException(
                    "ssl_enable=YES needs rsa_cert_file (PEM) or ssl_keystore_file (PKCS12)"));
            source = new TlsIdentity.Source.PemFiles(certificate, config.get(CoreDirectives.RSA_PRIVATE_KEY_FILE));
        }
        try {
            return Optional.of(new ServerTls(TlsIdentity.load(source, config.get(CoreDirectives.CA_CERTS_FILE)), policy));
        } catch (TlsConfigException e) {
            throw new ConfigException("TLS: " + e.getMessage(), e);
        }
    }

    /**
     * ssl_ciphers: JSSE (IANA) suite names separated by ':', ',' or spaces. vsftpd takes OpenSSL's
     * names; a name the JDK does not know stops the start rather than silently weakening TLS.
     */
    static List<String> ciphers(String text) throws ConfigException {
        List<String> names = Arrays.stream(text.split("[:,\\s]+")).filter(name -> !name.isEmpty()).toList();
        if (names.isEmpty()) {
            return List.of();
        }
        Set<String> supported;
        try {
            supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new ConfigException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        for (String name : names) {
            if (!supported.contains(name)) {
                throw new ConfigException("ssl_ciphers: unknown cipher suite '" + name + "'; Ferry uses the JDK's"
                        + " (IANA) names, e.g. TLS_AES_256_GCM_SHA384:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            }
        }
        return names;
    }

    /**
     * The TLS state of a new FTP session from {@code client} (the control peer, or the address a
     * trusted PROXY header named), with the current certificate. Call {@link SessionTls#release}
     * when the session ends.
     */
    public SessionTls newSession(InetAddress client) throws IOException {
        try {
            if (policy.requireReuse() && policy.reuseSameUser()) {
                ClientTls context = shared.join(client);
                return new SessionTls(context, policy, registration -> shared.leave(client, context, registration));
            }
            ClientTls own = new ClientTls(identity, policy);
            own.join();
            return new SessionTls(own, policy, own::leave);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
