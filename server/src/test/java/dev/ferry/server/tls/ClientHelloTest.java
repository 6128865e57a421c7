package dev.ferry.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
        hostileVariantsOf(hellos.get(1).consumed());
    }

    /**
     * The real ClientHello with a ticket, cut into one-byte records (TLS allows a handshake message
     * over many records), still shows its ticket; truncated, corrupted or with lying lengths, it is
     * handed on as read, never more than was sent, never an exception other than an IOException.
     */
    private static void hostileVariantsOf(byte[] hello) throws Exception {
        byte[] message = Arrays.copyOfRange(hello, 5, hello.length);
        ByteArrayOutputStream fragmented = new ByteArrayOutputStream();
        for (byte b : message) {
            fragmented.write(new byte[] {22, 3, 1, 0, 1, b});
        }
        byte[] oneByteRecords = fragmented.toByteArray();
        ClientHello split = ClientHello.read(new ByteArrayInputStream(oneByteRecords));
        assertTrue(split.offersPsk(), "a ticket in a ClientHello over " + message.length + " records");
        assertArrayEquals(oneByteRecords, split.consumed());
        Random random = new Random(15);
        for (int i = 0; i < 2_000; i++) {
            byte[] variant = Arrays.copyOf(hello, 1 + random.nextInt(hello.length));
            for (int flips = random.nextInt(4); flips > 0; flips--) {
                variant[random.nextInt(variant.length)] = (byte) random.nextInt(256);
            }
            ClientHello read = ClientHello.read(new ByteArrayInputStream(variant));
            assertTrue(read.consumed().length <= variant.length);
            assertArrayEquals(Arrays.copyOf(variant, read.consumed().length), read.consumed(),
                    "what was read is what came, to be replayed");
        }
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
