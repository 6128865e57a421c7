package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FTPS protocol (RFC 4217) and vsftpd's rules, driven with Apache Commons Net's FTPSClient and
 * raw commands. Commons Net cannot resume the control connection's TLS session on a data
 * connection (its JSSE client keys the session cache by host and port, and the data port differs;
 * notes/tls-reuse.md section 3), so with require_ssl_reuse=YES it gets the clear 522 refusal and
 * with require_ssl_reuse=NO it works.
 */
@Timeout(90)
class FtpsIT {

    @TempDir
    Path disk;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(String... settings) throws Exception {
        TestServer.Builder builder = TlsFixtures.server(disk);
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        server = builder.start();
        return server;
    }

    @Test
    void featAndHelpListTlsOnlyWhenConfigured() throws Exception {
        try (TestServer plain = TestServer.builder().start()) {
            RawClient client = RawClient.connect(plain.port());
            RawClient.Reply feat = client.command("FEAT");
            assertFalse(String.join("\n", feat.lines()).contains("AUTH"), feat.toString());
            assertFalse(String.join("\n", client.command("HELP").lines()).contains("PBSZ"));
            RawClient.Reply auth = client.command("AUTH TLS");
            assertEquals(502, auth.code(), auth.toString());
            client.close();
        }
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            String feat = String.join("\n", client.command("FEAT").lines());
            assertTrue(feat.contains(" AUTH TLS") && feat.contains(" AUTH SSL") && feat.contains(" PBSZ")
                    && feat.contains(" PROT"), feat);
            assertTrue(String.join("\n", client.command("HELP").lines()).contains("PBSZ"));
        }
    }

    @Test
    void securityCommandsFollowRfc4217() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            assertEquals(503, client.command("PBSZ 0").code(), "PBSZ before AUTH");
            assertEquals(503, client.command("PROT P").code(), "PROT before AUTH");
            assertEquals(504, client.command("AUTH KERBEROS_V4").code());
        }
        FTPSClient client = TlsFixtures.alice(server.port(), "TLSv1.3");
        try {
            assertEquals(536, client.sendCommand("PROT S"));
            assertEquals(504, client.sendCommand("PROT X"));
            assertEquals(200, client.sendCommand("PROT C"));
            assertEquals(200, client.sendCommand("PROT P"));
            assertEquals(503, client.sendCommand("AUTH TLS"), "already TLS");
            // Commons Net turns a refused CCC into an exception carrying the reply
            javax.net.ssl.SSLException ccc = org.junit.jupiter.api.Assertions.assertThrows(
                    javax.net.ssl.SSLException.class, () -> client.sendCommand("CCC"));
            assertEquals("534 CCC not allowed.", ccc.getMessage().strip(), "CCC is refused unless ssl_allow_ccc");
            assertEquals(211, client.sendCommand("STAT"));
            assertTrue(client.getReplyString().contains("Control connection is encrypted (TLSv1.3)"),
                    client.getReplyString());
            assertTrue(client.getReplyString().contains("Data connections will be encrypted"));
            assertEquals(221, client.sendCommand("QUIT"));
        } finally {
            client.disconnect();
        }
    }

    @Test
    void plaintextLocalLoginIsRefusedAndClosed() throws Exception {
        start();
        try (RawClient client = RawClient.connect(server.port())) {
            RawClient.Reply reply = client.command("USER alice");
            assertEquals("530 Non-anonymous sessions must use encryption.", reply.last());
            assertTrue(client.closedByServer(5_000), "vsftpd closes the connection");
        }
        // anonymous users are not forced by default, and force_local_logins_ssl=NO lets local users in
        try (RawClient client = RawClient.anonymous(server.port())) {
            assertEquals(257, client.command("PWD").code());
        }
    }

    @Test
    void forcedAnonymousLoginsAndAnonymousTls() throws Exception {
        start("allow_anon_ssl", "YES", "force_anon_logins_ssl", "YES");
        try (RawClient client = RawClient.connect(server.port())) {
            assertEquals("530 Anonymous sessions must use encryption.", client.command("USER anonymous").last());
        }
        FTPSClient tls = TlsFixtures.commonsNet(false, "TLSv1.3");
        try {
            tls.connect("127.0.0.1", server.port());
            assertTrue(tls.login("anonymous", "a@example.com"), tls.getReplyString());
        } finally {
            tls.disconnect();
        }
    }

    @Test
    void anonymousSessionsMayNotUseTlsByDefault() throws Exception {
        start();
        FTPSClient tls = TlsFixtures.commonsNet(false, "TLSv1.3");
        try {
            tls.connect("127.0.0.1", server.port());
            assertEquals(530, tls.sendCommand("USER anonymous"));
            assertTrue(tls.getReplyString().contains("Anonymous sessions may not use encryption."));
        } finally {
            tls.disconnect();
        }
    }

    @Test
    void clearDataConnectionsAreRefusedForLocalUsers() throws Exception {
        start();
        FTPSClient client = TlsFixtures.alice(server.port(), "TLSv1.3");
        try {
            assertEquals(200, client.sendCommand("PROT C"));
            client.execPROT("C");
            assertFalse(client.storeFile("clear.bin", new ByteArrayInputStream(new byte[10])));
            assertEquals("522 Data connections must be encrypted.", client.getReplyString().strip());
            assertTrue(Files.notExists(disk.resolve("home/alice/clear.bin")));
        } finally {
            client.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void commonsNetCannotResumeAndIsRefusedClearly(String protocol) throws Exception {
        start();
        Files.write(disk.resolve("home/alice/file.bin"), Clients.random(100_000, 3));
        FTPSClient client = TlsFixtures.alice(server.port(), protocol);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // the server aborts the data handshake (handshake_failure) and replies 522 on the control connection
            org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLHandshakeException.class,
                    () -> client.retrieveFile("file.bin", out), "Commons Net does not resume: refused");
            assertEquals(522, client.getReply());
            assertEquals("522 SSL connection failed: session reuse required", client.getReplyString().strip());
            assertEquals(0, out.size(), "nothing was sent");
            assertTrue(client.sendNoOp(), "the session goes on");
        } finally {
            client.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void commonsNetWorksWithoutReuseEnforcement(String protocol) throws Exception {
        start("require_ssl_reuse", "NO");
        byte[] content = Clients.random(1_000_000 + 7, 4);
        FTPSClient client = TlsFixtures.alice(server.port(), protocol);
        try {
            assertEquals(211, client.sendCommand("STAT"));
            assertTrue(client.getReplyString().contains("encrypted (" + protocol + ")"), client.getReplyString());
            for (int i = 0; i < 3; i++) {
                assertTrue(client.storeFile("up" + i + ".bin", new ByteArrayInputStream(content)),
                        client.getReplyString());
                ByteArrayOutputStream down = new ByteArrayOutputStream();
                assertTrue(client.retrieveFile("up" + i + ".bin", down), client.getReplyString());
                assertArrayEquals(content, down.toByteArray());
            }
            assertArrayEquals(content, Files.readAllBytes(disk.resolve("home/alice/up2.bin")));
            assertEquals(3, client.listNames().length);
            assertTrue(client.logout());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void onlyTheConfiguredProtocolIsOffered() throws Exception {
        start("ssl_tlsv1_3", "NO", "require_ssl_reuse", "NO");
        FTPSClient client = TlsFixtures.alice(server.port(), "TLSv1.2");
        try {
            assertEquals(211, client.sendCommand("STAT"));
            assertTrue(client.getReplyString().contains("encrypted (TLSv1.2)"), client.getReplyString());
        } finally {
            client.disconnect();
        }
        FTPSClient only13 = TlsFixtures.commonsNet(false, "TLSv1.3");
        try {
            assertThrowsIo(() -> only13.connect("127.0.0.1", server.port()));
        } finally {
            only13.disconnect();
        }
    }

    @Test
    void implicitListenerNextToTheExplicitOne() throws Exception {
        int implicitPort = freePort();
        start("implicit_ssl_listen_port", Integer.toString(implicitPort), "require_ssl_reuse", "NO");
        assertEquals(implicitPort, server.implicitPort());
        FTPSClient client = TlsFixtures.commonsNet(true, "TLSv1.3");
        try {
            client.connect("127.0.0.1", implicitPort);
            assertTrue(client.login("alice", TlsFixtures.PASSWORD), client.getReplyString());
            client.execPBSZ(0);
            client.execPROT("P");
            client.enterLocalPassiveMode();
            assertTrue(client.storeFile("implicit.txt", new ByteArrayInputStream("over TLS".getBytes())));
            assertEquals("over TLS", Files.readString(disk.resolve("home/alice/implicit.txt")));
        } finally {
            client.disconnect();
        }
        try (RawClient explicit = RawClient.connect(server.port())) {
            assertEquals(234, explicit.command("AUTH TLS").code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void cccWhenAllowed(String protocol) throws Exception {
        start("ssl_allow_ccc", "YES", "require_ssl_reuse", "NO");
        FTPSClient client = TlsFixtures.alice(server.port(), protocol);
        try {
            assertEquals(200, client.execCCC());
            // Commons Net now talks plain text on the same TCP connection
            assertTrue(client.sendNoOp(), client.getReplyString());
            assertEquals(257, client.sendCommand("PWD"));
            // data connections keep PROT P
            assertTrue(client.storeFile("after-ccc.txt", new ByteArrayInputStream("still private".getBytes())),
                    client.getReplyString());
            assertEquals("still private", Files.readString(disk.resolve("home/alice/after-ccc.txt")));
        } finally {
            client.disconnect();
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @FunctionalInterface
    private interface Io {
        void run() throws Exception;
    }

    private static void assertThrowsIo(Io action) {
        try {
            action.run();
        } catch (Exception expected) {
            return;
        }
        throw new AssertionError("expected the TLS handshake to fail");
    }
}
