package dev.ferry.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PassivePorts without a configured range: random ports of the kernel's ephemeral range, bound by number. */
class PassivePortsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void readsTheKernelsRange(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("range"), "32768\t60999\n");
        assertEquals(new PassivePorts.EphemeralRange(32768, 60999), PassivePorts.EphemeralRange.read(file));
        assertNull(PassivePorts.EphemeralRange.read(Files.writeString(dir.resolve("bad"), "60999 32768\n")));
        assertNull(PassivePorts.EphemeralRange.read(Files.writeString(dir.resolve("odd"), "1 2 3\n")));
        assertNull(PassivePorts.EphemeralRange.read(Files.writeString(dir.resolve("text"), "ports\n")));
        assertNull(PassivePorts.EphemeralRange.read(dir.resolve("missing")));
        Path linux = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(linux)) {
            // procfs reports a size of 0: the range must still be read whole
            assertNotNull(PassivePorts.EphemeralRange.SYSTEM);
            assertTrue(PassivePorts.EphemeralRange.SYSTEM.high() - PassivePorts.EphemeralRange.SYSTEM.low() > 100);
        }
    }

    @Test
    void anyPortListenersAcceptOnDistinctPortsOfTheEphemeralRange() throws IOException {
        PassivePorts ports = new PassivePorts(0, 0);
        try (PassivePorts.Listening first = ports.open(LOOPBACK, LOOPBACK);
             PassivePorts.Listening second = ports.open(LOOPBACK, LOOPBACK)) {
            assertNotEquals(first.port(), second.port());
            PassivePorts.EphemeralRange range = PassivePorts.EphemeralRange.SYSTEM;
            if (range != null) {
                for (int port : new int[] {first.port(), second.port()}) {
                    assertTrue(port >= range.low() && port <= range.high(), port + " outside " + range);
                }
            }
            assertTrue(PassivePorts.claim(first));
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(LOOPBACK, first.port()), 5_000);
                client.getOutputStream().write('x');
                try (SocketChannel accepted = first.accept(5_000)) {
                    assertEquals(first.port(), ((InetSocketAddress) accepted.getLocalAddress()).getPort());
                    assertEquals(1, accepted.read(java.nio.ByteBuffer.allocate(1)));
                }
            }
        }
    }
}
