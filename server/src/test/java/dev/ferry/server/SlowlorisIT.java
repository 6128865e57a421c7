package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, slowloris: clients that send one byte at a time, well inside the read timeout, and never
 * a line end. Each command line has a deadline of its own (idle_session_timeout from the moment the
 * session waits for it), so they read 421 and are closed, while a real client logs in at once.
 */
@Timeout(60)
class SlowlorisIT {

    private static final int IDLE_SECONDS = 2;
    /** A byte every 300 ms: the read timeout (2 s) alone never fires. */
    private static final long DRIP_MILLIS = 300;

    /** One slowloris: connects from {@code source}, optionally logs in, then drips "NOOP" without end. */
    private record Drip(long waitStartedNanos, long cutAfterMillis, String reply) {
    }

    private static Drip drip(int port, String source, boolean login) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            RawClient client = new RawClient(socket);
            assertEquals(220, client.reply().code());
            if (login) {
                client.command("USER anonymous");
                assertEquals(230, client.command("PASS drip@example.com").code());
            }
            long started = System.nanoTime(); // the session now waits for its next line
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout((int) DRIP_MILLIS);
            byte[] line = "NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP".getBytes(
                    StandardCharsets.US_ASCII);
            StringBuilder reply = new StringBuilder();
            // bounded: at most 40 bytes (12 s), far past the 2 s deadline
            for (int i = 0; i < 40; i++) {
                try {
                    out.write(line[i % line.length]);
                    out.flush();
                } catch (IOException reset) {
                    break; // closed: what it read before is the reply
                }
                try {
                    int b;
                    while ((b = in.read()) >= 0) {
                        reply.append((char) b);
                    }
                    break; // end of stream: the server closed the connection
                } catch (SocketTimeoutException stillOpen) {
                    // nothing to read yet: drip on
                } catch (IOException reset) {
                    break;
                }
            }
            return new Drip(started, (System.nanoTime() - started) / 1_000_000, reply.toString().strip());
        }
    }

    @Test
    void drippedLinesAreCutWith421WithinTheIdleTimeoutWhileARealClientLogsIn() throws Exception {
        byte[] content = Clients.random(100_000, 17);
        try (TestServer server = TestServer.builder().set("idle_session_timeout", Integer.toString(IDLE_SECONDS))
                .set("login_timeout", "0") // the line deadline alone, not the login's
                .start();
             ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor()) {
            server.put("/f.bin", content);
            List<Future<Drip>> drips = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String source = "127.0.0." + (2 + i % 4);
                boolean login = i % 2 == 0; // before and after a login alike
                drips.add(attackers.submit(() -> drip(server.port(), source, login)));
            }
            Thread.sleep(500); // the drips are under way

            long start = System.nanoTime();
            FTPClient client = server.anonymous();
            long loginMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(loginMillis < 1_000, "a real client logged in after " + loginMillis + " ms");
            assertArrayEquals(content, Clients.retrieve(client, "f.bin"));
            client.disconnect();

            for (Future<Drip> future : drips) {
                Drip drip = future.get(20, TimeUnit.SECONDS);
                assertEquals("421 Timeout.", drip.reply(), "what the slowloris read");
                assertTrue(drip.cutAfterMillis() >= IDLE_SECONDS * 1000 - 100
                        && drip.cutAfterMillis() <= IDLE_SECONDS * 1000 + 1000,
                        "cut after " + drip.cutAfterMillis() + " ms for an idle timeout of " + IDLE_SECONDS + " s");
            }
        }
    }

    @Test
    void aSlowButCompleteCommandStreamIsNotCut() throws Exception {
        // each line is complete well within the deadline: the session goes on past several idle periods
        try (TestServer server = TestServer.builder().set("idle_session_timeout", "1").start();
             RawClient client = RawClient.anonymous(server.port())) {
            for (int i = 0; i < 5; i++) {
                Thread.sleep(500);
                client.send("NO");
                Thread.sleep(200);
                assertEquals(200, client.command("OP").code());
            }
        }
    }

    @Test
    void aLineDrippedInsideTlsIsCutWith421Too(@TempDir Path dir) throws Exception {
        Path keystore = TlsFixtures.pkcs12(dir, "server", "changeit");
        try (TestServer server = TestServer.builder().set("ssl_enable", "YES")
                .set("ssl_keystore_file", keystore.toString()).set("ssl_keystore_password", "changeit")
                // 3 s, not 1: the read timeout (the same setting) also bounds the TLS handshake on a busy machine
                .set("idle_session_timeout", "3").set("login_timeout", "0").start();
             Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(10_000);
            RawClient control = new RawClient(plain);
            assertEquals(220, control.reply().code());
            assertEquals(234, control.command("AUTH TLS").code());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1",
                    server.port(), false)) {
                tls.setUseClientMode(true);
                tls.startHandshake();
                long started = System.nanoTime();
                tls.setSoTimeout((int) DRIP_MILLIS);
                StringBuilder reply = new StringBuilder();
                boolean closed = false;
                for (int i = 0; i < 30 && !closed; i++) { // bounded: 9 s, far past the 3 s deadline
                    try {
                        tls.getOutputStream().write('N');
                        tls.getOutputStream().flush();
                        int b;
                        while ((b = tls.getInputStream().read()) >= 0) {
                            reply.append((char) b);
                        }
                        closed = true;
                    } catch (SocketTimeoutException open) {
                        // drip on
                    } catch (IOException reset) {
                        closed = true;
                    }
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(closed && millis >= 2_900 && millis <= 4_000, "cut after " + millis + " ms");
                assertEquals("421 Timeout.", reply.toString().strip(), "what the client read through TLS");
            }
        }
    }

    /**
     * A ClientHello dripped a byte at a time after AUTH TLS (Ferry reads it itself before Java's TLS
     * does): the login deadline, which covers the handshake, ends the connection on time, and a
     * client that then connects gets its 220 at once.
     */
    @Test
    void aClientHelloDrippedAfterAuthTlsIsCutByTheLoginDeadline(@TempDir Path dir) throws Exception {
        Path keystore = TlsFixtures.pkcs12(dir, "server", "changeit");
        try (TestServer server = TestServer.builder().set("ssl_enable", "YES")
                .set("ssl_keystore_file", keystore.toString()).set("ssl_keystore_password", "changeit")
                .set("idle_session_timeout", "30").set("login_timeout", "2").start();
             Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout((int) DRIP_MILLIS);
            RawClient control = new RawClient(plain);
            assertEquals(220, control.reply().code());
            assertEquals(234, control.command("AUTH TLS").code());
            byte[] hello = {22, 3, 1, 0x02, 0x00, 1, 0, 1, (byte) 0xfc, 3, 3}; // a 512-byte record, never finished
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) { // bounded: 9 s, far past the 2 s deadline
                try {
                    plain.getOutputStream().write(hello[Math.min(i, hello.length - 1)]);
                    plain.getOutputStream().flush();
                    closed = plain.getInputStream().read() < 0;
                } catch (SocketTimeoutException open) {
                    // drip on
                } catch (IOException reset) {
                    closed = true;
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(closed && millis >= 1_500 && millis <= 4_000, "cut after " + millis + " ms");
            try (Socket next = new Socket("127.0.0.1", server.port())) {
                next.setSoTimeout(5_000);
                assertEquals(220, new RawClient(next).reply().code());
            }
        }
    }
}
