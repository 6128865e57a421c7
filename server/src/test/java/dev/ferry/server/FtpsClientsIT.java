package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.TlsFixtures.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FTPS with the clients people use — curl (OpenSSL), lftp (GnuTLS) and Python's ftplib (OpenSSL) —
 * with require_ssl_reuse=YES, the default. Each test skips when its client is not installed. The
 * TLS 1.3 runs of many transfers guard the two JSSE details of notes/tls-reuse.md: no ticket on data
 * connections (else uploads are reset) and a fresh ticket on the control connection after each
 * transfer (else curl's second data connection cannot resume).
 */
@Timeout(180)
class FtpsClientsIT {

    @TempDir
    Path disk;
    TestServer server;
    Path alice;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String protocol, String... settings) throws Exception {
        TestServer.Builder builder = TlsFixtures.server(disk);
        if (protocol.equals("TLSv1.2")) {
            builder.set("ssl_tlsv1_3", "NO");
        } else if (protocol.equals("TLSv1.3")) {
            builder.set("ssl_tlsv1_2", "NO");
        }
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(settings[i], settings[i + 1]);
        }
        server = builder.start();
        alice = disk.resolve("home/alice");
    }

    private String url(String path) {
        return "ftp://127.0.0.1:" + server.port() + path;
    }

    private static final String USER = "alice:" + TlsFixtures.PASSWORD;

    // ---- curl

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void curlListsDownloadsAndUploadsByteExact(String protocol) throws Exception {
        assumeTrue(TlsFixtures.installed("curl"), "curl is not installed");
        start(protocol);
        byte[] content = Clients.random(2 * 1024 * 1024 + 5, 7);
        Files.write(alice.resolve("big.bin"), content);
        Path source = Files.write(disk.resolve("source.bin"), Clients.random(1024 * 1024 + 3, 8));
        Path down = disk.resolve("down.bin");
        // one curl run, one FTP session (--next keeps the connection): list, download, upload, so later
        // data connections must resume too
        Result result = TlsFixtures.run(disk, "curl", "-sS", "--ssl-reqd", "-k", "-u", USER,
                url("/"), "-o", disk.resolve("list.txt").toString(),
                url("/big.bin"), "-o", down.toString(),
                "--next", "-sS", "--ssl-reqd", "-k", "-u", USER, "-T", source.toString(), url("/up.bin"));
        assertEquals(0, result.exit(), result.output());
        assertTrue(Files.readString(disk.resolve("list.txt")).contains("big.bin"));
        assertEquals(Clients.sha256(content), ExternalClientsIT.sha256(down));
        assertEquals(ExternalClientsIT.sha256(source), ExternalClientsIT.sha256(alice.resolve("up.bin")));
    }

    /**
     * curl uses each TLS 1.3 ticket once, so each of its data connections needs the fresh one that
     * comes with the 227/229; also while alice has another session open from the same address (an
     * idle FileZilla, say), since that one cannot use curl's tickets (ssl_reuse_same_user, the default).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void curlTwentyUploadsAndDownloadsInOneTls13Session(boolean besideAnotherSession) throws Exception {
        assumeTrue(TlsFixtures.installed("curl"), "curl is not installed");
        start("TLSv1.3");
        FTPSClient idle = besideAnotherSession ? TlsFixtures.alice(server.port(), "TLSv1.3") : null;
        Path outgoing = Files.createDirectories(disk.resolve("outgoing"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Files.write(outgoing.resolve("f" + i + ".bin"), Clients.random(64 * 1024 + i * 4099, 100 + i));
            names.add("f" + i + ".bin");
        }
        Result up = TlsFixtures.run(outgoing, "curl", "-sS", "--ssl-reqd", "-k", "-u", USER,
                "-T", "{" + String.join(",", names) + "}", url("/many/"), "--ftp-create-dirs");
        assertEquals(0, up.exit(), up.output());
        Path incoming = Files.createDirectories(disk.resolve("incoming"));
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--ssl-reqd", "-k", "-u", USER));
        for (String name : names) {
            command.add(url("/many/" + name));
            command.add("-o");
            command.add(incoming.resolve(name).toString());
        }
        Result down = TlsFixtures.run(disk, command.toArray(String[]::new));
        assertEquals(0, down.exit(), down.output());
        assertEquals(ExternalClientsIT.checksums(outgoing), ExternalClientsIT.checksums(alice.resolve("many")));
        assertEquals(ExternalClientsIT.checksums(outgoing), ExternalClientsIT.checksums(incoming));
        if (idle != null) {
            assertTrue(idle.sendNoOp(), idle.getReplyString());
            idle.disconnect();
        }
    }

    @Test
    void curlImplicitFtps() throws Exception {
        assumeTrue(TlsFixtures.installed("curl"), "curl is not installed");
        start("both", "implicit_ssl", "YES");
        Files.writeString(alice.resolve("hello.txt"), "hello over implicit TLS\n");
        String implicitUrl = "ftps://127.0.0.1:" + server.port();
        Path source = Files.write(disk.resolve("source.bin"), Clients.random(300_000, 9));
        Result result = TlsFixtures.run(disk, "curl", "-sS", "-k", "-u", USER,
                implicitUrl + "/hello.txt", "-o", disk.resolve("hello.txt").toString(),
                "--next", "-sS", "-k", "-u", USER, "-T", source.toString(), implicitUrl + "/up.bin");
        assertEquals(0, result.exit(), result.output());
        assertEquals("hello over implicit TLS\n", Files.readString(disk.resolve("hello.txt")));
        assertEquals(ExternalClientsIT.sha256(source), ExternalClientsIT.sha256(alice.resolve("up.bin")));
        // a plain client on the implicit port gets no greeting in clear
        Result plain = TlsFixtures.run(disk, "curl", "-sS", "-m", "5", "-u", USER, url("/"));
        assertTrue(plain.exit() != 0, plain.output());
    }

    @Test
    void curlWithCccAfterLogin() throws Exception {
        assumeTrue(TlsFixtures.installed("curl"), "curl is not installed");
        start("both", "ssl_allow_ccc", "YES");
        Files.writeString(alice.resolve("hello.txt"), "after CCC\n");
        Result result = TlsFixtures.run(disk, "curl", "-sS", "--ssl-reqd", "-k", "--ftp-ssl-ccc",
                "--ftp-ssl-ccc-mode", "active", "-u", USER, url("/hello.txt"));
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("after CCC"), result.output());
    }

    @Test
    void plaintextCurlLoginIsRefused() throws Exception {
        assumeTrue(TlsFixtures.installed("curl"), "curl is not installed");
        start("both");
        Result result = TlsFixtures.run(disk, "curl", "-sS", "-v", "-u", USER, url("/"));
        assertTrue(result.exit() != 0, result.output());
        assertTrue(result.output().contains("530 Non-anonymous sessions must use encryption."), result.output());
    }

    // ---- lftp

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void lftpMirrorsTwentyFilesUpAndDownInOneSession(String protocol) throws Exception {
        assumeTrue(TlsFixtures.installed("lftp"), "lftp is not installed");
        start(protocol);
        Path outgoing = Files.createDirectories(disk.resolve("outgoing"));
        for (int i = 0; i < 20; i++) {
            Files.write(outgoing.resolve("f" + i + ".bin"), Clients.random(48 * 1024 + i * 7919, 200 + i));
        }
        Path incoming = disk.resolve("incoming");
        String script = "set net:max-retries 1; set net:timeout 20; set ftp:ssl-force true; "
                + "set ftp:ssl-protect-data true; set ftp:ssl-protect-list true; set ssl:verify-certificate no; "
                + "open -u alice," + TlsFixtures.PASSWORD.replace(" ", "\\ ") + " -p " + server.port() + " 127.0.0.1; "
                + "mirror -R " + outgoing + " /many; mirror /many " + incoming;
        Result result = TlsFixtures.run(disk, "lftp", "-c", script);
        assertEquals(0, result.exit(), result.output());
        assertFalse(result.output().contains("Fatal error"), result.output());
        assertEquals(ExternalClientsIT.checksums(outgoing), ExternalClientsIT.checksums(alice.resolve("many")));
        assertEquals(ExternalClientsIT.checksums(outgoing), ExternalClientsIT.checksums(incoming));
    }

    /** lftp's parallel mirror opens several control connections of one user: each resumes its own session. */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void lftpMirrorsWithFourConnectionsUpAndDown(String protocol) throws Exception {
        assumeTrue(TlsFixtures.installed("lftp"), "lftp is not installed");
        start(protocol, "debug_ssl", "YES");
        Path outgoing = Files.createDirectories(disk.resolve("outgoing"));
        for (int i = 0; i < 24; i++) {
            Files.write(outgoing.resolve("f" + i + ".bin"), Clients.random(64 * 1024 + i * 7919, 400 + i));
        }
        Path incoming = disk.resolve("incoming");
        String script = "set net:max-retries 1; set net:timeout 20; set ftp:ssl-force true; "
                + "set ftp:ssl-protect-data true; set ftp:ssl-protect-list true; set ssl:verify-certificate no; "
                + "open -u alice," + TlsFixtures.PASSWORD.replace(" ", "\\ ") + " -p " + server.port() + " 127.0.0.1; "
                + "mirror -P 4 -R " + outgoing + " /many; mirror -P 4 /many " + incoming;
        Result result = TlsFixtures.run(disk, "lftp", "-c", script);
        assertEquals(0, result.exit(), result.output());
        assertFalse(result.output().contains("Fatal error") || result.output().contains("522"), result.output());
        assertEquals(ExternalClientsIT.checksums(outgoing), ExternalClientsIT.checksums(alice.resolve("many")));
        assertEquals(ExternalClientsIT.checksums(outgoing), ExternalClientsIT.checksums(incoming));
    }

    // ---- Python ftplib

    private static final String PYTHON_CLIENTS = """
            import ftplib, io, socket, ssl, sys
            port, password, protocol = int(sys.argv[1]), sys.argv[2], sys.argv[3]

            def context():
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                if protocol == 'TLSv1.2':
                    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
                elif protocol == 'TLSv1.3':
                    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
                return ctx

            class Resuming(ftplib.FTP_TLS):
                # notes/tls-reuse.md section 8: hand the control connection's session to the data socket
                def ntransfercmd(self, cmd, rest=None):
                    conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
                    if self._prot_p:
                        conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
                    return conn, size

            def login(cls, user, secret, source='127.0.0.1'):
                f = cls(context=context())
                f.connect('127.0.0.1', port, timeout=20, source_address=(source, 0))
                f.login(user, secret)
                f.prot_p()
                return f
            """;

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void pythonResumingClientPassesAndStockFtpTlsIsRefused(String protocol) throws Exception {
        assumeTrue(TlsFixtures.installed("python3"), "python3 is not installed");
        start("both");
        Files.writeString(alice.resolve("hello.txt"), "hello from ferry\n");
        String script = PYTHON_CLIENTS + """
                f = login(Resuming, 'alice', password)
                print('version', f.sock.version())
                for i in range(5):
                    f.storbinary('STOR up%d.bin' % i, io.BytesIO(bytes([i]) * 200000))
                    data = io.BytesIO()
                    f.retrbinary('RETR up%d.bin' % i, data.write)
                    print('round', i, len(data.getvalue()), data.getvalue() == bytes([i]) * 200000)
                print('names', sorted(f.nlst()))
                f.quit()
                stock = login(ftplib.FTP_TLS, 'alice', password)
                try:
                    stock.retrbinary('RETR hello.txt', print)
                    print('stock transferred')
                except (ssl.SSLError, OSError) as e:
                    try:
                        stock.getresp()
                    except ftplib.error_perm as reply:
                        print('stock refused', reply)
                stock.quit()
                """;
        Path file = Files.writeString(disk.resolve("clients.py"), script);
        Result result = TlsFixtures.run(disk, "python3", file.toString(), Integer.toString(server.port()),
                TlsFixtures.PASSWORD, protocol);
        assertEquals(0, result.exit(), result.output());
        String out = result.output();
        assertTrue(out.contains("version " + protocol), out);
        for (int i = 0; i < 5; i++) {
            assertTrue(out.contains("round " + i + " 200000 True"), out);
        }
        assertTrue(out.contains("names ['hello.txt', 'up0.bin', 'up1.bin', 'up2.bin', 'up3.bin', 'up4.bin']"), out);
        assertTrue(out.contains("stock refused 522 SSL connection failed: session reuse required"), out);
        assertFalse(out.contains("stock transferred"), out);
    }

    /** Under either ssl_reuse_same_user: bob's session is never alice's. */
    @ParameterizedTest
    @CsvSource({"TLSv1.2, NO", "TLSv1.2, YES", "TLSv1.3, NO", "TLSv1.3, YES"})
    void anotherLoginCannotTakeOverAPassiveDataConnection(String protocol, String sameUser) throws Exception {
        assumeTrue(TlsFixtures.installed("python3"), "python3 is not installed");
        start("both", "ssl_reuse_same_user", sameUser);
        byte[] secret = "alice's secret\\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Files.write(alice.resolve("secret.txt"), secret);
        // bob, logged in with his own TLS session, connects to alice's passive port first and offers his
        // session (a resumption in a shared TLS context); then without any session (a full handshake)
        String script = PYTHON_CLIENTS + """
                victim = login(Resuming, 'alice', password)
                attacker = login(Resuming, 'bob', sys.argv[4])
                victim.voidcmd('TYPE I')
                for offered in ('bob-session', 'no-session'):
                    host, p = ftplib.parse227(victim.sendcmd('PASV'))
                    raw = socket.create_connection(('127.0.0.1', p), timeout=20)
                    victim.putcmd('RETR secret.txt')
                    print('victim', victim.getresp())
                    try:
                        session = attacker.sock.session if offered == 'bob-session' else None
                        s = attacker.context.wrap_socket(raw, server_hostname='127.0.0.1', session=session)
                        got = s.recv(1 << 20)
                        # a resumption from this address completes the handshake; then the server
                        # finds whose session it was and closes without sending a byte
                        print('leaked' if got else 'refused', offered, len(got))
                    except (ssl.SSLError, OSError) as e:
                        print('refused', offered, type(e).__name__)
                    try:
                        victim.getresp()
                    except ftplib.error_perm as reply:
                        print('victim reply', reply)
                data = io.BytesIO()
                victim.retrbinary('RETR secret.txt', data.write)
                print('victim still gets', len(data.getvalue()))
                attacker.quit()
                victim.quit()
                """;
        Path file = Files.writeString(disk.resolve("hijack.py"), script);
        Result result = TlsFixtures.run(disk, "python3", file.toString(), Integer.toString(server.port()),
                TlsFixtures.PASSWORD, protocol, TlsFixtures.BOB_PASSWORD);
        assertEquals(0, result.exit(), result.output());
        String out = result.output();
        assertFalse(out.contains("leaked"), out);
        assertTrue(out.contains("refused bob-session"), out);
        assertTrue(out.contains("refused no-session"), out);
        assertEquals(2, out.lines().filter(l -> l.equals("victim reply 522 SSL connection failed: session reuse required"))
                .count(), out);
        assertTrue(out.contains("victim still gets " + secret.length), out);
    }

    /**
     * ssl_reuse_same_user=YES: alice's second control connection (rclone's pattern) may resume its
     * session on the passive port of her first one; the same alice logged in from 127.0.0.2 may not
     * (with pasv_promiscuous, so the TLS check is what refuses it and not the address check).
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void sameUserMayShareSessionsOnlyFromTheSameAddress(String protocol) throws Exception {
        assumeTrue(TlsFixtures.installed("python3"), "python3 is not installed");
        start("both", "pasv_promiscuous", "YES", "ssl_reuse_same_user", "YES");
        byte[] secret = "alice's file\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Files.write(alice.resolve("secret.txt"), secret);
        String script = PYTHON_CLIENTS + """
                first = login(Resuming, 'alice', password)
                second = login(Resuming, 'alice', password)
                elsewhere = login(Resuming, 'alice', password, '127.0.0.2')
                first.voidcmd('TYPE I')
                for name, other in (('second', second), ('elsewhere', elsewhere), ('first-again', second)):
                    host, p = ftplib.parse227(first.sendcmd('PASV'))
                    source = '127.0.0.2' if other is elsewhere else '127.0.0.1'
                    raw = socket.create_connection(('127.0.0.1', p), timeout=20, source_address=(source, 0))
                    first.putcmd('RETR secret.txt')
                    print(name, 'mark', first.getresp())
                    try:
                        s = other.context.wrap_socket(raw, server_hostname='127.0.0.1', session=other.sock.session)
                        got = b''
                        while True:
                            chunk = s.recv(1 << 20)
                            if not chunk:
                                break
                            got += chunk
                        print(name, 'resumed', s.session_reused, 'got', len(got))
                    except (ssl.SSLError, OSError) as e:
                        print(name, 'refused', type(e).__name__)
                    try:
                        print(name, 'reply', first.getresp())
                    except ftplib.error_perm as reply:
                        print(name, 'reply', reply)
                for f in (first, second, elsewhere):
                    f.quit()
                """;
        Path file = Files.writeString(disk.resolve("same-user.py"), script);
        Result result = TlsFixtures.run(disk, "python3", file.toString(), Integer.toString(server.port()),
                TlsFixtures.PASSWORD, protocol);
        assertEquals(0, result.exit(), result.output());
        String out = result.output();
        assertTrue(out.contains("second resumed True got " + secret.length), out);
        assertTrue(out.contains("second reply 226"), out);
        assertTrue(out.contains("first-again resumed True got " + secret.length), out);
        assertFalse(out.contains("elsewhere resumed"), out);
        assertTrue(out.contains("elsewhere refused"), out);
        assertTrue(out.contains("elsewhere reply 522 SSL connection failed: session reuse required"), out);
    }
}
