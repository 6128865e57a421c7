package dev.ferry.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClientHello read before Java's TLS sees it: a client's first connection offers no TLS 1.3
 * ticket, its second one (Java's client caches tickets per host and port, as Go's per server name)
 * offers the ticket of the first, and the handshake still runs, full and resumed, on the bytes
 * replayed through {@link TcpUnderTls}.
 */
@Timeout(60)
class ClientHelloTest {

    @TempDir
    Path dir;

    @Test
    void aSecondConnectionOffersTheFirstOnesTicketAndBothHandshakesRunOnTheReplayedBytes() throws Exception {
        SSLContext server = ClientTlsTest.clientTls(dir, List.of("TLSv1.3")).context();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new TrustAll()}, null);
        List<ClientHello> hellos = new ArrayList<>();
        List<Long> created = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        try (Socket raw = listener.accept()) {
                            ClientHello hello = ClientHello.read(raw.getInputStream());
                            hellos.add(hello);
                            SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(
                                    new TcpUnderTls(raw, false, hello.consumed()), "127.0.0.1", raw.getPort(), true);
                            tls.setUseClientMode(false);
                            tls.startHandshake();
                            created.add(tls.getSession().getCreationTime());
                            tls.getOutputStream().write(42);
                            tls.getOutputStream().flush();
                            assertEquals(7, tls.getInputStream().read());
                        }
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (int i = 0; i < 2; i++) {
                try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
                    socket.startHandshake();
                    assertEquals(42, socket.getInputStream().read()); // the ticket comes before it
                    socket.getOutputStream().write(7);
                    socket.getOutputStream().flush();
                }
            }
            serving.join(30_000);
        }
        assertEquals(2, hellos.size());
        assertFalse(hellos.get(0).offersPsk(), "a first connection has no ticket to offer");
        assertTrue(hellos.get(1).offersPsk(), "the second offers the first one's ticket");
        assertEquals(created.get(0), created.get(1), "and resumed the first one's session");
    }

    @Test
    void whatIsNoClientHelloIsHandedOnAsRead() throws Exception {
        byte[] plain = "USER alice\r\n".getBytes(StandardCharsets.US_ASCII);
        ClientHello notTls = ClientHello.read(new ByteArrayInputStream(plain));
        assertFalse(notTls.offersPsk());
        assertArrayEquals("USER ".getBytes(StandardCharsets.US_ASCII), notTls.consumed(), "one record header's worth");
        byte[] cut = {22, 3, 1, 0, 50, 1, 0};
        ClientHello truncated = ClientHello.read(new ByteArrayInputStream(cut));
        assertFalse(truncated.offersPsk());
        assertArrayEquals(cut, truncated.consumed());
        byte[] lies = {22, 3, 1, 0, 6, 1, 0, 0, 2, 0, 0}; // a ClientHello too short for its fields
        assertFalse(ClientHello.read(new ByteArrayInputStream(lies)).offersPsk());
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
