package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How TLS data connections end (vsftpd's strict_ssl_read_eof and strict_ssl_write_shutdown), and
 * what debug_ssl logs. The data connections are driven by hand with a JSSE client over a plain
 * socket, so a test can end one the way an attacker or a sloppy client does: a bare TCP close
 * without TLS close_notify. require_ssl_reuse is off here, since this client does not resume.
 */
@Timeout(120)
class FtpsDataEndIT {

    private static final byte[] FILE = Clients.random(300_000, 20);

    @TempDir
    Path disk;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private FTPSClient start(String protocol, String... settings) throws Exception {
        TestServer.Builder builder = TlsFixtures.server(disk).set("require_ssl_reuse", "NO");
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        server = builder.start();
        return TlsFixtures.alice(server.port(), protocol);
    }

    /** A data connection: EPSV, TCP connect, the command (150), then the TLS handshake. */
    private record Data(Socket tcp, SSLSocket tls) {
        static Data open(FTPSClient control, String protocol, String command) throws Exception {
            assertEquals(229, control.sendCommand("EPSV"), control.getReplyString());
            Socket tcp = new Socket();
            tcp.connect(new InetSocketAddress("127.0.0.1", Clients.epsvPort(control.getReplyString())), 10_000);
            tcp.setSoTimeout(20_000);
            assertEquals(150, control.sendCommand(command), control.getReplyString());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()},
                    new SecureRandom());
            // not autoClose: closing the TCP socket under it must not send close_notify
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", tcp.getPort(), false);
            tls.setEnabledProtocols(new String[] {protocol});
            tls.startHandshake();
            return new Data(tcp, tls);
        }

        /** A bare TCP close: FIN without close_notify, as a forged or sloppy end would look. */
        void cutTcp() throws IOException {
            tcp.shutdownOutput();
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        assertEquals(length, bytes.length);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anUploadCutByABareTcpCloseIsRefusedAndNotStored(String protocol) throws Exception {
        FTPSClient control = start(protocol); // strict_ssl_read_eof=YES is Ferry's default
        try {
            Data cut = Data.open(control, protocol, "STOR cut.bin");
            OutputStream out = cut.tls().getOutputStream();
            out.write(FILE, 0, 100_000);
            out.flush();
            cut.cutTcp();
            assertEquals(426, control.getReply(), control.getReplyString());
            cut.tcp().close();
            assertFalse(Files.exists(disk.resolve("home/alice/cut.bin")), "nothing stored under the name");

            Data clean = Data.open(control, protocol, "STOR whole.bin");
            clean.tls().getOutputStream().write(FILE);
            clean.tls().close(); // close_notify first
            assertEquals(226, control.getReply(), control.getReplyString());
            assertArrayEquals(FILE, Files.readAllBytes(disk.resolve("home/alice/whole.bin")));
        } finally {
            control.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void withStrictSslReadEofOffACutUploadIsTakenAsComplete(String protocol) throws Exception {
        FTPSClient control = start(protocol, "strict_ssl_read_eof", "NO"); // vsftpd's default
        try {
            Data cut = Data.open(control, protocol, "STOR cut.bin");
            OutputStream out = cut.tls().getOutputStream();
            out.write(FILE, 0, 100_000);
            out.flush();
            cut.cutTcp();
            assertEquals(226, control.getReply(), control.getReplyString());
            cut.tcp().close();
            assertArrayEquals(Arrays.copyOf(FILE, 100_000), Files.readAllBytes(disk.resolve("home/alice/cut.bin")));
        } finally {
            control.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void strictSslWriteShutdownWantsTheClientsCloseNotifyAfterADownload(String protocol) throws Exception {
        Files.createDirectories(disk.resolve("home/alice"));
        Files.write(disk.resolve("home/alice/file.bin"), FILE);
        FTPSClient control = start(protocol, "strict_ssl_write_shutdown", "YES");
        try {
            Data answered = Data.open(control, protocol, "RETR file.bin");
            InputStream in = answered.tls().getInputStream();
            assertArrayEquals(FILE, readExactly(in, FILE.length));
            assertEquals(-1, in.read(), "the server's close_notify");
            answered.tls().close(); // the client's close_notify in answer
            assertEquals(226, control.getReply(), control.getReplyString());

            Data unanswered = Data.open(control, protocol, "RETR file.bin");
            assertArrayEquals(FILE, readExactly(unanswered.tls().getInputStream(), FILE.length));
            unanswered.tcp().close(); // no close_notify
            assertEquals(426, control.getReply(), control.getReplyString());
            assertTrue(control.getReplyString().contains("Failure writing network stream"), control.getReplyString());
        } finally {
            control.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void withoutStrictSslWriteShutdownADownloadEndsAt226Anyway(String protocol) throws Exception {
        Files.createDirectories(disk.resolve("home/alice"));
        Files.write(disk.resolve("home/alice/file.bin"), FILE);
        FTPSClient control = start(protocol);
        try {
            Data data = Data.open(control, protocol, "RETR file.bin");
            InputStream in = data.tls().getInputStream();
            assertArrayEquals(FILE, readExactly(in, FILE.length));
            assertEquals(-1, in.read(), "Ferry ends every TLS download with close_notify");
            data.tcp().close();
            assertEquals(226, control.getReply(), control.getReplyString());
        } finally {
            control.disconnect();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"YES", "NO"})
    void debugSslLogsHandshakesAndWhyADataConnectionWasRefused(String debug) throws Exception {
        try (CapturedLog log = new CapturedLog("dev.ferry.server.tls.SessionTls")) {
            FTPSClient control = start("TLSv1.3", "debug_ssl", debug, "require_ssl_reuse", "YES");
            try {
                // Commons Net does a full handshake on the data connection: refused in the handshake
                org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLHandshakeException.class,
                        () -> control.storeFile("x.bin", new java.io.ByteArrayInputStream(FILE)));
                assertEquals(522, control.getReply(), control.getReplyString());
            } finally {
                control.disconnect();
            }
            if (debug.equals("NO")) {
                assertEquals(List.of(), log.messages(), "nothing at INFO without debug_ssl");
                return;
            }
            List<String> lines = log.await(line -> line.startsWith("TLS data handshake failed"));
            assertTrue(lines.stream().anyMatch(line -> line.matches(
                    "TLS control handshake: TLSv1\\.3 TLS_\\w+, new session \\(session created \\d+\\), "
                            + "the client offered no ticket, in \\d+ ms")), lines.toString());
            assertTrue(lines.contains("TLS data handshake failed: Not resumption, and no new session is allowed"),
                    lines.toString());
        }
    }
}
