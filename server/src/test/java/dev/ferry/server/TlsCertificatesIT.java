package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's certificate: PEM files and PKCS12 keystores, startup errors that name the file, and
 * reloading a renewed certificate without a restart.
 */
@Timeout(90)
class TlsCertificatesIT {

    @TempDir
    Path disk;

    private TestServer.Builder pemServer(TlsFixtures.Pem pem) throws Exception {
        return TlsFixtures.server(disk)
                .set("ssl_keystore_file", "")
                .set("rsa_cert_file", pem.certificate().toString())
                .set("rsa_private_key_file", pem.key().toString());
    }

    private ConfigException startFails(TestServer.Builder builder) {
        return assertThrows(ConfigException.class, () -> builder.start().close());
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateStopsTheStart() throws Exception {
        TlsFixtures.Pem one = TlsFixtures.pem(disk, "one", "one.example");
        TlsFixtures.Pem other = TlsFixtures.pem(disk, "other", "other.example");
        ConfigException failure = startFails(pemServer(new TlsFixtures.Pem(one.certificate(), other.key())));
        assertTrue(failure.getMessage().contains(other.key().toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("does not belong to the certificate"), failure.getMessage());
    }

    @Test
    void aBrokenOrMissingCertificateStopsTheStart() throws Exception {
        TlsFixtures.Pem good = TlsFixtures.pem(disk, "good", "good.example");
        Path garbage = Files.writeString(disk.resolve("garbage.pem"), "not a certificate\n");
        ConfigException broken = startFails(pemServer(new TlsFixtures.Pem(garbage, good.key())));
        assertTrue(broken.getMessage().contains(garbage.toString()), broken.getMessage());
        assertTrue(broken.getMessage().contains("no CERTIFICATE"), broken.getMessage());

        Path missing = disk.resolve("missing.pem");
        ConfigException absent = startFails(pemServer(new TlsFixtures.Pem(missing, good.key())));
        assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());

        Path noKey = Files.writeString(disk.resolve("nokey.pem"), "nothing\n");
        ConfigException keyless = startFails(pemServer(new TlsFixtures.Pem(good.certificate(), noKey)));
        assertTrue(keyless.getMessage().contains(noKey.toString()), keyless.getMessage());
    }

    @Test
    void aWrongKeystorePasswordStopsTheStart() throws Exception {
        Path keystore = TlsFixtures.pkcs12(disk, "other", "right-password");
        ConfigException failure = startFails(TlsFixtures.server(disk)
                .set("ssl_keystore_file", keystore.toString()).set("ssl_keystore_password", "wrong-password"));
        assertTrue(failure.getMessage().contains(keystore.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("password"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("wrong-password"), "never print the password");
    }

    @Test
    void badTlsSettingsStopTheStart() throws Exception {
        assertTrue(startFails(TlsFixtures.server(disk).set("ssl_tlsv1_2", "NO").set("ssl_tlsv1_3", "NO"))
                .getMessage().contains("ssl_tlsv1_2"));
        assertTrue(startFails(TlsFixtures.server(disk).set("ssl_ciphers", "HIGH:!aNULL"))
                .getMessage().contains("ssl_ciphers"));
        assertTrue(startFails(TestServer.builder().set("implicit_ssl", "YES")).getMessage().contains("ssl_enable"));
    }

    @Test
    void certificateInOneFileWithItsKey() throws Exception {
        TlsFixtures.Pem pem = TlsFixtures.pem(disk, "combined", "combined.example");
        Path combined = disk.resolve("combined-all.pem");
        Files.writeString(combined, Files.readString(pem.key()) + Files.readString(pem.certificate()));
        try (TestServer server = TlsFixtures.server(disk).set("ssl_keystore_file", "")
                .set("rsa_cert_file", combined.toString()).start()) {
            assertEquals("CN=combined.example", serverCertificate(server.port()));
        }
    }

    /**
     * certbot renew replaces the files; new sessions get the new certificate within seconds, and a
     * session that began before keeps working (its TLS context has the old one).
     */
    @Test
    void aRenewedCertificateIsUsedByNewSessionsWithoutARestart() throws Exception {
        TlsFixtures.Pem first = TlsFixtures.pem(disk, "first", "first.example");
        TlsFixtures.Pem second = TlsFixtures.pem(disk, "second", "second.example");
        Path live = Files.createDirectories(disk.resolve("live"));
        TlsFixtures.Pem installed = new TlsFixtures.Pem(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
        Files.copy(first.certificate(), installed.certificate());
        Files.copy(first.key(), installed.key());
        try (TestServer server = pemServer(installed).set("require_ssl_reuse", "NO").start()) {
            assertEquals("CN=first.example", serverCertificate(server.port()));
            FTPSClient before = TlsFixtures.alice(server.port(), "TLSv1.3");
            try {
                Files.copy(second.certificate(), installed.certificate(), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(second.key(), installed.key(), StandardCopyOption.REPLACE_EXISTING);
                FileTime later = FileTime.from(Instant.now().plusSeconds(5));
                Files.setLastModifiedTime(installed.certificate(), later);
                Files.setLastModifiedTime(installed.key(), later);
                String seen = "";
                for (int i = 0; i < 50 && !seen.equals("CN=second.example"); i++) {
                    Thread.sleep(200);
                    seen = serverCertificate(server.port());
                }
                assertEquals("CN=second.example", seen, "new sessions get the renewed certificate");
                assertTrue(before.storeFile("still.txt", new ByteArrayInputStream("old session".getBytes())),
                        before.getReplyString());
                assertEquals("old session", Files.readString(disk.resolve("home/alice/still.txt")));
            } finally {
                before.disconnect();
            }
        }
    }

    /** The subject of the certificate the server shows after AUTH TLS. */
    private static String serverCertificate(int port) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(10_000);
            InputStream in = plain.getInputStream();
            OutputStream out = plain.getOutputStream();
            readLine(in); // 220
            out.write("AUTH TLS\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readLine(in);
            if (!reply.startsWith("234")) {
                throw new IOException("AUTH TLS refused: " + reply);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                tls.startHandshake();
                X509Certificate certificate = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                tls.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                return certificate.getSubjectX500Principal().getName();
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 4096; i++) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                break;
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
