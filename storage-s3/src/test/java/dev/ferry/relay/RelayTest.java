package dev.ferry.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay against a loopback server that sends {@link #PAYLOAD} on every connection (or echoes
 * single bytes after a 'p'): delay, window, throughput, and each fault.
 */
@Timeout(30)
class RelayTest {

    private static final byte[] PAYLOAD = new byte[4 << 20];

    static {
        new Random(7).nextBytes(PAYLOAD);
    }

    private ServerSocket server;
    private Thread serving;

    @BeforeEach
    void serve() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serving = Thread.ofVirtual().start(() -> {
            while (true) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().start(() -> answer(socket));
            }
        });
    }

    /** 's': send the payload and close; 'p': echo every following byte. */
    private static void answer(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int command = in.read();
            if (command == 's') {
                out.write(PAYLOAD);
            } else {
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the relay reset it: expected in the fault tests
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serving.join();
    }

    private Relay relay(Link link) throws IOException {
        return Relay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), link);
    }

    private static Socket connect(Relay relay) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port());
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Test
    void aRoundTripTakesTwiceTheOneWayDelay() throws Exception {
        try (Relay relay = relay(new Link(Duration.ofMillis(20), 0, 0)); Socket socket = connect(relay)) {
            socket.getOutputStream().write('p');
            ping(socket);
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                ping(socket);
            }
            double ms = (System.nanoTime() - start) / 1e6 / 5;
            // the upper bound is loose: the machine may be busy; the delay is the lower bound
            assertTrue(ms >= 39 && ms < 200, "round trip " + ms + " ms");
        }
    }

    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write(42);
        assertEquals(42, socket.getInputStream().read());
    }

    @Test
    void aDelayLineKeepsThroughputWhereASleepPerChunkWouldNot() throws Exception {
        // 4 MiB in 64 KiB chunks: a 20 ms sleep per chunk would take 1.3 s
        try (Relay relay = relay(new Link(Duration.ofMillis(20), 0, 0)); Socket socket = connect(relay)) {
            long start = System.nanoTime();
            byte[] got = fetch(socket);
            double ms = (System.nanoTime() - start) / 1e6;
            assertArrayEquals(PAYLOAD, got);
            assertTrue(ms < 1000, ms + " ms");
        }
    }

    @Test
    void theWindowCapsOneConnectionAtWindowPerRoundTrip() throws Exception {
        // 512 KiB per 40 ms round trip: about 13 MB/s, so 4 MiB takes at least ~0.3 s
        try (Relay relay = relay(new Link(Duration.ofMillis(20), 512 << 10, 0)); Socket socket = connect(relay)) {
            long start = System.nanoTime();
            byte[] got = fetch(socket);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertArrayEquals(PAYLOAD, got);
            double mbps = PAYLOAD.length / 1e6 / seconds;
            assertTrue(mbps < 14 && mbps > 3, mbps + " MB/s");
        }
    }

    @Test
    void theBandwidthCapIsSharedByAllConnections() throws Exception {
        try (Relay relay = relay(new Link(Duration.ZERO, 0, 20_000_000))) {
            long start = System.nanoTime();
            Thread[] readers = new Thread[2];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = Thread.ofVirtual().start(() -> {
                    try (Socket socket = connect(relay)) {
                        assertArrayEquals(PAYLOAD, fetch(socket));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            for (Thread reader : readers) {
                reader.join();
            }
            double mbps = 2.0 * PAYLOAD.length / 1e6 / ((System.nanoTime() - start) / 1e9);
            assertTrue(mbps < 21 && mbps > 5, "both together stay under the 20 MB/s cap: " + mbps + " MB/s");
        }
    }

    @Test
    void aResetCutsTheConnectionAfterExactlyThatManyBytes() throws Exception {
        try (Relay relay = relay(Link.direct()); Socket socket = connect(relay)) {
            relay.inject(Fault.Reset.once(Direction.TO_CLIENT, 100_000));
            socket.getOutputStream().write('s');
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            long received = 0;
            IOException failure = null;
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            } catch (SocketException e) {
                failure = e;
            }
            assertEquals(100_000, received);
            assertTrue(failure != null && failure.getMessage().contains("reset"), String.valueOf(failure));
            assertEquals(1, relay.resets());
            // once: the next connection is whole
            try (Socket again = connect(relay)) {
                assertArrayEquals(PAYLOAD, fetch(again));
            }
        }
    }

    @Test
    void aStallHoldsTheBytesAndThenDeliversThemAll() throws Exception {
        try (Relay relay = relay(Link.direct()); Socket socket = connect(relay)) {
            relay.inject(new Fault.Stall(Direction.TO_CLIENT, 1000, Duration.ofMillis(500)));
            long start = System.nanoTime();
            assertArrayEquals(PAYLOAD, fetch(socket));
            assertTrue(System.nanoTime() - start >= 500_000_000L);
        }
    }

    @Test
    void aRefusalClosesThePortForAWhile() throws Exception {
        try (Relay relay = relay(Link.direct())) {
            relay.inject(new Fault.Refuse(Duration.ofMillis(500)));
            assertThrows(ConnectException.class, () -> connect(relay).close());
            Thread.sleep(700);
            try (Socket socket = connect(relay)) {
                assertArrayEquals(PAYLOAD, fetch(socket));
            }
        }
    }

    private static byte[] fetch(Socket socket) throws IOException {
        socket.getOutputStream().write('s');
        return socket.getInputStream().readAllBytes();
    }
}
